package dev.odec.syntax;

import dev.odec.ast.Decl;
import dev.odec.ast.Expr;
import dev.odec.ast.ModelFile;
import dev.odec.diag.Diagnostics;
import dev.odec.diag.Renderer;
import dev.odec.source.SourceFile;
import dev.odec.source.Span;
import dev.odec.syntax.gen.OdeLexer;
import dev.odec.syntax.gen.OdeParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parses .ode text into an AST. Syntax errors are collected (the generated parser recovers and
 * goes on), reworded for people, and reported into {@link Diagnostics}; the AST built from a
 * file with syntax errors is partial and must not be lowered.
 */
public final class Parser {
  private static final int MAX_SYNTAX_ERRORS = 25;

  private Parser() {}

  public static ModelFile parse(SourceFile file, Diagnostics diags) {
    Listener listener = new Listener(file, diags);
    OdeLexer lexer = new OdeLexer(CharStreams.fromString(file.text(), file.name()));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    OdeParser parser = new OdeParser(tokens);
    parser.removeErrorListeners();
    // Two-stage parsing: the fast SLL prediction mode parses every valid file; only a file it
    // rejects is parsed again with full LL and error recovery, which reports all its errors.
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    OdeParser.FileContext tree;
    try {
      tree = parser.file();
    } catch (ParseCancellationException sllFailed) {
      tokens.seek(0);
      parser.reset();
      parser.addErrorListener(listener);
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      tree = parser.file();
    }
    return new Builder(file, diags).file(tree);
  }

  /** Rewords ANTLR's messages into the project's style and caps their number. */
  private static final class Listener extends BaseErrorListener {
    private final SourceFile file;
    private final Diagnostics diags;
    private int count;
    private int lastLine = -1;

    Listener(SourceFile file, Diagnostics diags) {
      this.file = file;
      this.diags = diags;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
        RecognitionException e) {
      // one error a line: what follows the first on its line is mostly the parser's recovery
      if (line == lastLine) return;
      lastLine = line;
      count++;
      if (count > MAX_SYNTAX_ERRORS) {
        if (count == MAX_SYNTAX_ERRORS + 1) {
          diags.error(Span.at(file, line, col + 1), "too many syntax errors; stopping here (is this an .ode model file?)");
        }
        return;
      }
      String text;
      int length = 1;
      if (offending instanceof Token tok) {
        length = Math.max(1, tok.getText() == null ? 1 : tok.getText().length());
        text = tok.getType() == Token.EOF ? describeEof(recognizer, e) : describe(recognizer, tok, e);
      } else {
        // lexer: "token recognition error at: 'x'"
        int at = msg.indexOf("at: ");
        String ch = at >= 0 ? msg.substring(at + 4).replaceAll("^'|'$", "") : msg;
        text = "unexpected character " + Renderer.quote(ch);
      }
      diags.error(new Span(file, line, col + 1, length), text);
    }

    private String describe(Recognizer<?, ?> recognizer, Token tok, RecognitionException e) {
      String what = "unexpected " + Renderer.quote(tok.getText());
      String expected = expected(recognizer, e);
      return expected == null ? what : what + "; expected " + expected;
    }

    private String describeEof(Recognizer<?, ?> recognizer, RecognitionException e) {
      String expected = expected(recognizer, e);
      return "unexpected end of file" + (expected == null ? "" : "; expected " + expected);
    }

    private static String expected(Recognizer<?, ?> recognizer, RecognitionException e) {
      if (!(recognizer instanceof OdeParser p)) return null;
      IntervalSet set;
      try {
        set = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : p.getExpectedTokens();
      } catch (RuntimeException ex) {
        return null;
      }
      if (set == null || set.size() == 0 || set.size() > 4) {
        return set != null && set.contains(OdeParser.ID) && set.contains(OdeParser.NUMBER) ? "an expression" : null;
      }
      List<String> names = new ArrayList<>();
      for (int t : set.toList()) {
        String n = p.getVocabulary().getDisplayName(t);
        names.add(t == OdeParser.ID ? "a name" : t == OdeParser.NUMBER ? "a number" : t == Token.EOF ? "end of file" : n);
      }
      return String.join(" or ", names);
    }
  }

  /** Walks the parse tree into AST records. */
  private static final class Builder {
    private final SourceFile file;
    private final Diagnostics diags;

    Builder(SourceFile file, Diagnostics diags) {
      this.file = file;
      this.diags = diags;
    }

    ModelFile file(OdeParser.FileContext ctx) {
      String name = null;
      Span nameSpan = null;
      if (ctx.modelDecl() != null && ctx.modelDecl().name != null) {
        name = ctx.modelDecl().name.getText();
        nameSpan = span(ctx.modelDecl().name);
      }
      List<Decl> decls = new ArrayList<>();
      for (OdeParser.StatementContext s : ctx.statement()) {
        try {
          Decl d = statement(s);
          if (d != null) decls.add(d);
        } catch (RuntimeException partial) {
          // a statement the parser only partly recovered: its syntax error is already reported
        }
      }
      return new ModelFile(file, name, nameSpan, decls);
    }

    private Decl statement(OdeParser.StatementContext s) {
      if (s.exception != null) return null;
      if (s instanceof OdeParser.ParamStmtContext c) {
        return new Decl.Param(c.name.getText(), span(c.name), type(c.type()), opt(c.value), opt(c.lo), opt(c.hi),
            c.scale == null ? null : c.scale.getText(), c.scale == null ? null : span(c.scale),
            c.prior == null ? null : dist(c.prior), span(c.start));
      }
      if (s instanceof OdeParser.ConstStmtContext c) {
        return new Decl.Const(c.name.getText(), span(c.name), type(c.type()), expr(c.value), span(c.start));
      }
      if (s instanceof OdeParser.StateStmtContext c) {
        return new Decl.State(c.name.getText(), span(c.name), type(c.type()), opt(c.value), span(c.start));
      }
      if (s instanceof OdeParser.LetStmtContext c) {
        return new Decl.Let(c.name.getText(), span(c.name), expr(c.value), span(c.start));
      }
      if (s instanceof OdeParser.FnStmtContext c) {
        List<String> params = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        for (TerminalNode id : c.ID()) {
          if (id.getSymbol() == c.name) continue;
          params.add(id.getText());
          spans.add(span(id.getSymbol()));
        }
        return new Decl.Fn(c.name.getText(), span(c.name), params, spans, expr(c.body), span(c.start));
      }
      if (s instanceof OdeParser.DerivStmtContext c) {
        if (!c.dname.getText().equals("d")) {
          diags.error(span(c.dname), "unexpected " + Renderer.quote(c.dname.getText())
              + "; a statement starts with a keyword (param, state, let, ...) or with 'd(NAME)/dt'");
          return null;
        }
        if (!c.dtname.getText().equals("dt")) {
          diags.error(span(c.dtname), "expected 'dt' in 'd(" + c.state.getText() + ")/dt', found "
              + Renderer.quote(c.dtname.getText()));
          return null;
        }
        return new Decl.Deriv(c.state.getText(), span(c.state), expr(c.value), span(c.start));
      }
      if (s instanceof OdeParser.ReactionStmtContext c) {
        return new Decl.Reaction(c.rname == null ? null : c.rname.getText(), side(c.lhs), side(c.rhs),
            c.arrow.getType() == OdeParser.BIARROW, expr(c.flux), span(c.start));
      }
      if (s instanceof OdeParser.ObserveStmtContext c) {
        return new Decl.Observe(c.name.getText(), span(c.name), dist(c.dist()), span(c.start));
      }
      if (s instanceof OdeParser.RateStmtContext c) {
        return new Decl.Rate(c.name.getText(), span(c.name), expr(c.value), span(c.start));
      }
      if (s instanceof OdeParser.FlowStmtContext c) {
        return new Decl.Flow(c.name.getText(), span(c.name), dist(c.dist()), span(c.start));
      }
      if (s instanceof OdeParser.AtStmtContext c) {
        if (!c.tname.getText().equals("t")) {
          diags.error(span(c.tname), "a time event reads 'at t = TIME: ...', with the time 't', not "
              + Renderer.quote(c.tname.getText()));
          return null;
        }
        return new Decl.At(expr(c.time), opt(c.period), opt(c.until), assignments(c.assignment()), span(c.start));
      }
      if (s instanceof OdeParser.WhenStmtContext c) {
        return new Decl.When(expr(c.cond), assignments(c.assignment()), span(c.start));
      }
      if (s instanceof OdeParser.ImportStmtContext c) {
        if (c.module != null) return new Decl.Import(c.module.getText(), false, span(c.start));
        String p = c.path.getText();
        return new Decl.Import(p.substring(1, p.length() - 1), true, span(c.path));
      }
      return null;
    }

    private List<Decl.Assignment> assignments(List<OdeParser.AssignmentContext> list) {
      List<Decl.Assignment> out = new ArrayList<>();
      for (OdeParser.AssignmentContext a : list) {
        out.add(new Decl.Assignment(a.target.getText(), span(a.target), expr(a.value)));
      }
      return out;
    }

    private Decl.TypeSpec type(OdeParser.TypeContext t) {
      if (t == null) return null;
      List<Expr> dims = new ArrayList<>();
      for (OdeParser.DimContext d : t.dim()) {
        if (d.NUMBER() != null) {
          dims.add(new Expr.Num(Double.parseDouble(d.getText()), d.getText(), span(d.start)));
        } else {
          dims.add(new Expr.Name(d.getText(), span(d.start)));
        }
      }
      return new Decl.TypeSpec(dims, span(t.start));
    }

    private List<Decl.Species> side(OdeParser.SideContext side) {
      List<Decl.Species> out = new ArrayList<>();
      for (OdeParser.SpeciesContext sp : side.species()) {
        if (sp.zero != null) {
          out.add(new Decl.Species(null, zeroCoeff(sp.zero.getText()), span(sp.zero)));
        } else {
          int coeff = sp.coeff == null ? 1 : intCoeff(sp.coeff.getText());
          out.add(new Decl.Species(sp.name.getText(), coeff, span(sp.coeff != null ? sp.coeff : sp.name)));
        }
      }
      return out;
    }

    /** The checker reports non-integer or zero coefficients; -1 marks them. */
    private static int intCoeff(String text) {
      try {
        int v = Integer.parseInt(text);
        return v >= 1 ? v : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private static int zeroCoeff(String text) {
      return text.equals("0") ? 0 : -1;
    }

    private Decl.Dist dist(OdeParser.DistContext d) {
      List<Expr> args = new ArrayList<>();
      for (OdeParser.ExprContext e : d.expr()) args.add(expr(e));
      return new Decl.Dist(d.name.getText(), span(d.name), args, span(d.start));
    }

    private Expr opt(OdeParser.ExprContext e) {
      return e == null ? null : expr(e);
    }

    private Expr expr(OdeParser.ExprContext e) {
      if (e == null || e.exception != null) throw new IllegalStateException("partial expression");
      Span sp = span(e);
      if (e instanceof OdeParser.ParenContext c) return expr(c.expr());
      if (e instanceof OdeParser.NumContext c) {
        double v = Double.parseDouble(c.getText());
        if (Double.isInfinite(v)) diags.error(sp, "the number " + c.getText() + " is too large for a double (at most about 1.8e308)");
        return new Expr.Num(v, c.getText(), sp);
      }
      if (e instanceof OdeParser.NameContext c) return new Expr.Name(c.getText(), sp);
      if (e instanceof OdeParser.CallContext c) {
        List<Expr> args = new ArrayList<>();
        for (OdeParser.ExprContext a : c.expr()) args.add(expr(a));
        return new Expr.Call(c.ID().getText(), span(c.ID().getSymbol()), args, sp);
      }
      if (e instanceof OdeParser.ListLitContext c) {
        List<Expr> items = new ArrayList<>();
        for (OdeParser.ExprContext a : c.expr()) items.add(expr(a));
        return new Expr.ListLit(items, sp);
      }
      if (e instanceof OdeParser.IndexContext c) {
        List<Expr.Subscript> subs = new ArrayList<>();
        for (OdeParser.SubscriptContext s : c.subscript()) {
          Span ss = span(s);
          if (s instanceof OdeParser.SliceContext sl) subs.add(new Expr.Subscript(null, expr(sl.lo), expr(sl.hi), false, ss));
          else if (s instanceof OdeParser.AllContext) subs.add(new Expr.Subscript(null, null, null, true, ss));
          else subs.add(new Expr.Subscript(expr(((OdeParser.AtContext) s).expr()), null, null, false, ss));
        }
        return new Expr.Index(expr(c.expr()), subs, sp);
      }
      if (e instanceof OdeParser.PowContext c) return bin(Expr.BinOp.POW, c.expr(0), c.expr(1), span(c.op));
      if (e instanceof OdeParser.NegContext c) return new Expr.Unary(Expr.UnOp.NEG, expr(c.expr()), sp);
      if (e instanceof OdeParser.NotContext c) return new Expr.Unary(Expr.UnOp.NOT, expr(c.expr()), sp);
      if (e instanceof OdeParser.MulContext c) {
        Expr.BinOp op = switch (c.op.getText()) {
          case "*" -> Expr.BinOp.MUL;
          case "/" -> Expr.BinOp.DIV;
          default -> Expr.BinOp.MATMUL;
        };
        return bin(op, c.expr(0), c.expr(1), span(c.op));
      }
      if (e instanceof OdeParser.AddContext c) {
        return bin(c.op.getText().equals("+") ? Expr.BinOp.ADD : Expr.BinOp.SUB, c.expr(0), c.expr(1), span(c.op));
      }
      if (e instanceof OdeParser.CompareContext c) {
        Expr.BinOp op = switch (c.op.getText()) {
          case "<" -> Expr.BinOp.LT;
          case "<=" -> Expr.BinOp.LE;
          case ">" -> Expr.BinOp.GT;
          case ">=" -> Expr.BinOp.GE;
          case "==" -> Expr.BinOp.EQ;
          default -> Expr.BinOp.NE;
        };
        return bin(op, c.expr(0), c.expr(1), span(c.op));
      }
      if (e instanceof OdeParser.AndContext c) return bin(Expr.BinOp.AND, c.expr(0), c.expr(1), span(c.AND().getSymbol()));
      if (e instanceof OdeParser.OrContext c) return bin(Expr.BinOp.OR, c.expr(0), c.expr(1), span(c.OR().getSymbol()));
      if (e instanceof OdeParser.IfContext c) return new Expr.If(expr(c.expr(0)), expr(c.expr(1)), expr(c.expr(2)), sp);
      throw new IllegalStateException("unknown expression " + e.getClass().getSimpleName());
    }

    /** Binary expressions are placed at their operator, where shape errors point. */
    private Expr bin(Expr.BinOp op, OdeParser.ExprContext l, OdeParser.ExprContext r, Span opSpan) {
      return new Expr.Binary(op, expr(l), expr(r), opSpan);
    }

    private Span span(Token t) {
      int len = t.getText() == null ? 1 : Math.max(1, t.getText().length());
      return new Span(file, t.getLine(), t.getCharPositionInLine() + 1, len);
    }

    private Span span(ParserRuleContext c) {
      Token a = c.start;
      Token b = c.stop;
      if (b == null || b.getLine() != a.getLine() || b.getStopIndex() < a.getStartIndex()) return span(a);
      return new Span(file, a.getLine(), a.getCharPositionInLine() + 1, b.getStopIndex() - a.getStartIndex() + 1);
    }
  }
}
