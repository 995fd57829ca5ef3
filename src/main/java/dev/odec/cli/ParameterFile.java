package dev.odec.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.odec.runtime.InputError;
import dev.odec.source.InputFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The file of {@code --set @FILE}: either {@code NAME=VALUE} lines ({@code #} comments and blank
 * lines allowed; what {@code fit --out-params} writes) or a JSON object whose {@code "parameters"}
 * member (or, without one, the object itself) maps names to numbers (what {@code fit --out}
 * writes). Returns the assignments as {@code NAME=VALUE} strings for {@code --set}'s parser.
 */
final class ParameterFile {
  private ParameterFile() {}

  static List<String> read(Path file) {
    String text;
    try {
      text = new String(InputFiles.read(file, InputFiles.MAX_DATA_BYTES, "parameter file"), StandardCharsets.UTF_8);
    } catch (InputFiles.TooLarge e) {
      throw InputError.usage("--set @" + file + ": " + e.getMessage());
    } catch (IOException e) {
      throw InputError.usage("--set @" + file + ": cannot read the file (" + e.getMessage() + ")");
    }
    List<String> out = new ArrayList<>();
    if (text.strip().startsWith("{")) {
      JsonObject root;
      try {
        root = JsonParser.parseString(text).getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw InputError.input(file + ": not valid JSON: " + e.getMessage());
      }
      JsonObject params = root.has("parameters") && root.get("parameters").isJsonObject()
          ? root.getAsJsonObject("parameters") : root;
      for (Map.Entry<String, JsonElement> e : params.entrySet()) {
        JsonElement v = e.getValue();
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
          throw InputError.input(file + ": the value of '" + e.getKey() + "' is not a number");
        }
        out.add(e.getKey() + "=" + v.getAsString());
      }
      return out;
    }
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.indexOf('=') <= 0) {
        throw InputError.at(file.toString(), i + 1, 1, "expected NAME=VALUE, got '" + line + "'");
      }
      out.add(line);
    }
    return out;
  }
}
