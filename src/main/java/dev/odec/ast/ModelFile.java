package dev.odec.ast;

import dev.odec.source.SourceFile;
import dev.odec.source.Span;
import java.util.List;

/** A parsed file: its optional {@code model NAME} and its statements in source order. */
public record ModelFile(SourceFile source, String name, Span nameSpan, List<Decl> decls) {}
