package dev.odec.importer;

import java.nio.file.Path;

/** {@code odec import MODEL.xml}: an SBML model as {@code .ode} text. */
public final class SbmlImport {
  private SbmlImport() {}

  /** The model's name and its {@code .ode} text; errors are InputErrors naming the element, id and line. */
  public record Result(String name, String odeText) {}

  public static Result translate(Path sbml) {
    OdeModel m = SbmlTranslator.translate(SbmlModel.read(sbml));
    m.resolve();
    return new Result(m.name, m.render());
  }
}
