package dev.odec.codegen.jvm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;

/** Reads the bytecode length ({@code Code.code_length}) of every method of a class file. */
final class MethodSizes {
  private MethodSizes() {}

  static Map<String, Integer> of(byte[] classFile) {
    ClassReader r = new ClassReader(classFile);
    char[] buf = new char[r.getMaxStringLength()];
    int at = r.header + 6; // access, this, super
    at += 2 + 2 * r.readUnsignedShort(at); // interfaces
    int fields = r.readUnsignedShort(at);
    at += 2;
    for (int i = 0; i < fields; i++) at = skipMember(r, at);
    int methods = r.readUnsignedShort(at);
    at += 2;
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (int i = 0; i < methods; i++) {
      String name = r.readUTF8(at + 2, buf);
      int attrs = r.readUnsignedShort(at + 6);
      int a = at + 8;
      for (int j = 0; j < attrs; j++) {
        String attr = r.readUTF8(a, buf);
        int len = r.readInt(a + 2);
        if (attr.equals("Code")) sizes.put(name, r.readInt(a + 10));
        a += 6 + len;
      }
      at = a;
    }
    return sizes;
  }

  private static int skipMember(ClassReader r, int at) {
    int attrs = r.readUnsignedShort(at + 6);
    int a = at + 8;
    for (int j = 0; j < attrs; j++) a += 6 + r.readInt(a + 2);
    return a;
  }
}
