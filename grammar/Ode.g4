grammar Ode;
file : EOF ;
WS : [ \t\r\n]+ -> skip ;
