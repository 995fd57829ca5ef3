package dev.odec.importer;

import dev.odec.runtime.InputError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An XML document as a small tree of elements that remember where they start, read with the
 * JDK's StAX parser (no DTDs, no external entities). A document that is not well-formed is an
 * {@link InputError} at the parser's line and column.
 */
final class Xml {
  /** An element: local name, namespace URI, attributes by local name, children, text, position. */
  record Element(String name, String ns, Map<String, String> attrs, List<Element> children, String text, int line,
      int col) {
    String attr(String key) {
      return attrs.get(key);
    }

    /** The first child with that local name, or null. */
    Element child(String local) {
      for (Element c : children) if (c.name.equals(local)) return c;
      return null;
    }

    /** The children of the child list {@code listName} named {@code itemName} (empty when absent). */
    List<Element> list(String listName, String itemName) {
      List<Element> out = new ArrayList<>();
      Element l = child(listName);
      if (l == null) return out;
      for (Element c : l.children) if (c.name.equals(itemName)) out.add(c);
      return out;
    }
  }

  private Xml() {}

  static Element read(Path file) {
    String name = file.toString();
    // read with the data files' size limit: a device or a multi-gigabyte file is refused, not parsed
    try (InputStream in = new java.io.ByteArrayInputStream(
        dev.odec.source.InputFiles.read(file, dev.odec.source.InputFiles.MAX_DATA_BYTES, "SBML file"))) {
      XMLInputFactory f = XMLInputFactory.newFactory();
      f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
      f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
      f.setProperty(XMLInputFactory.IS_COALESCING, true);
      XMLStreamReader r = f.createXMLStreamReader(in);
      Element root = null;
      List<Builder> stack = new ArrayList<>();
      while (r.hasNext()) {
        int ev = r.next();
        switch (ev) {
          case XMLStreamConstants.START_ELEMENT -> {
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < r.getAttributeCount(); i++) attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
            var loc = r.getLocation();
            // a child separates its parent's text: <cn type="rational">1<sep/>4</cn> reads "1 4"
            if (!stack.isEmpty()) stack.get(stack.size() - 1).text.append(' ');
            stack.add(new Builder(r.getLocalName(), r.getNamespaceURI(), attrs, loc.getLineNumber(), loc.getColumnNumber()));
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!stack.isEmpty()) stack.get(stack.size() - 1).text.append(r.getText());
          }
          case XMLStreamConstants.END_ELEMENT -> {
            Element e = stack.remove(stack.size() - 1).build();
            if (stack.isEmpty()) root = e;
            else stack.get(stack.size() - 1).children.add(e);
          }
          default -> { }
        }
      }
      if (root == null) throw InputError.at(name, 1, 1, "the file holds no XML element");
      return root;
    } catch (XMLStreamException e) {
      var loc = e.getLocation();
      String msg = e.getMessage();
      // the JDK prefixes "ParseError at [row,col]:[l,c]\nMessage: "; keep the message
      int m = msg == null ? -1 : msg.indexOf("Message: ");
      if (m >= 0) msg = msg.substring(m + "Message: ".length());
      int line = loc == null ? 1 : Math.max(1, loc.getLineNumber());
      int col = loc == null ? 1 : Math.max(1, loc.getColumnNumber());
      throw InputError.at(name, line, col, "not well-formed XML: " + msg);
    } catch (NoSuchFileException e) {
      throw InputError.input("cannot read " + name + ": no such file");
    } catch (IOException e) {
      throw InputError.input("cannot read " + name + ": " + (Files.isDirectory(file) ? "it is a directory" : e.getMessage()));
    }
  }

  private static final class Builder {
    final String name;
    final String ns;
    final Map<String, String> attrs;
    final int line;
    final int col;
    final List<Element> children = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    Builder(String name, String ns, Map<String, String> attrs, int line, int col) {
      this.name = name;
      this.ns = ns;
      this.attrs = attrs;
      this.line = line;
      this.col = col;
    }

    Element build() {
      return new Element(name, ns == null ? "" : ns, attrs, List.copyOf(children), text.toString(), line, col);
    }
  }
}
