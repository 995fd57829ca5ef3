/*
 * The .ode model language, v1 (see docs/LANGUAGE.md): v0 plus events (`at`, `when`).
 * Free-form: every statement begins with a keyword or with `d(`, so no terminators are needed.
 * The parser is generated at build time by antlr4-maven-plugin; it is never committed.
 */
grammar Ode;

file : modelDecl? statement* EOF ;

modelDecl : MODEL name=ID ;

statement
  : PARAM name=ID (':' type)? ('=' value=expr)? (IN '[' lo=expr ',' hi=expr ']')? (SCALE scale=ID)? ('~' prior=dist)?   # ParamStmt
  | CONST name=ID (':' type)? '=' value=expr                                   # ConstStmt
  | STATE name=ID (':' type)? ('=' value=expr)?                                # StateStmt
  | LET name=ID '=' value=expr                                                 # LetStmt
  | FN name=ID '(' (ID (',' ID)*)? ')' '=' body=expr                           # FnStmt
  | dname=ID '(' state=ID ')' '/' dtname=ID '=' value=expr                     # DerivStmt
  | REACTION (rname=ID ':')? lhs=side arrow=(ARROW | BIARROW) rhs=side ':' flux=expr  # ReactionStmt
  | OBSERVE name=ID '~' dist                                                   # ObserveStmt
  | RATE name=ID '=' value=expr                                                # RateStmt
  | FLOW name=ID '~' dist                                                      # FlowStmt
  | IMPORT (module=ID | path=STRING)                                           # ImportStmt
  | AT tname=ID '=' time=expr (EVERY period=expr (UNTIL until=expr)?)? ':' assignment (',' assignment)*  # AtStmt
  | WHEN cond=expr ':' assignment (',' assignment)*                            # WhenStmt
  ;

assignment : target=ID '=' value=expr ;

type : REAL ('[' dim (',' dim)? ']')? ;
dim : NUMBER | ID ;

side : species ('+' species)* ;
species : coeff=NUMBER? name=ID | zero=NUMBER ;

dist : name=ID '(' (expr (',' expr)*)? ')' ;

expr
  : '(' expr ')'                                        # Paren
  | NUMBER                                              # Num
  | ID '(' (expr (',' expr)*)? ')'                      # Call
  | ID                                                  # Name
  | '[' expr (',' expr)* ']'                            # ListLit
  | expr '[' subscript (',' subscript)* ']'                     # Index
  | <assoc=right> expr op='^' expr                      # Pow
  | '-' expr                                            # Neg
  | expr op=('*' | '/' | '@') expr                      # Mul
  | expr op=('+' | '-') expr                            # Add
  | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') expr # Compare
  | NOT expr                                            # Not
  | expr AND expr                                       # And
  | expr OR expr                                        # Or
  | IF expr THEN expr ELSE expr                         # If
  ;

subscript
  : lo=expr ':' hi=expr    # Slice
  | ':'                    # All
  | expr                   # At
  ;

MODEL : 'model' ;
PARAM : 'param' ;
CONST : 'const' ;
STATE : 'state' ;
LET : 'let' ;
FN : 'fn' ;
REACTION : 'reaction' ;
OBSERVE : 'observe' ;
RATE : 'rate' ;
FLOW : 'flow' ;
IMPORT : 'import' ;
AT : 'at' ;
EVERY : 'every' ;
UNTIL : 'until' ;
WHEN : 'when' ;
IN : 'in' ;
SCALE : 'scale' ;
IF : 'if' ;
THEN : 'then' ;
ELSE : 'else' ;
AND : 'and' ;
OR : 'or' ;
NOT : 'not' ;
REAL : 'real' ;

ARROW : '->' ;
BIARROW : '<->' ;

ID : [A-Za-z_] [A-Za-z0-9_]* ;
NUMBER : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;
fragment DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
STRING : '"' ~["\r\n]* '"' ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\r\n\f]+ -> skip ;
