package dev.ipsec.operator.vici;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The VICI wire format (strongSwan {@code src/libcharon/plugins/vici/README.md}).
 *
 * <pre>
 * segment  = u32 big-endian length | packet            (length excludes itself, at most 512 KiB)
 * packet   = u8 type | [u8 nameLen | name] | [message]  (name for named types, message for
 *                                                        CMD_REQUEST, CMD_RESPONSE and EVENT)
 * message  = element*
 * element  = 1 SECTION_START name | 2 SECTION_END | 3 KEY_VALUE name value
 *          | 4 LIST_START name | 5 LIST_ITEM value | 6 LIST_END
 * name     = u8 length | bytes          value = u16 big-endian length | bytes
 * </pre>
 *
 * <p>Decoding trusts no length: a segment length is checked against the 512 KiB limit before
 * anything is allocated, and every name, value and element is checked against the bytes that are
 * really there. Anything malformed raises {@link ViciProtocolException} with the offset of the
 * problem. Nesting is limited to {@link #MAX_DEPTH} sections so that neither the decoder nor
 * recursive consumers of {@link ViciMessage} can be driven into a stack overflow.
 *
 * <p>Names and values are UTF-8. Binary blobs (keys, certificates) are sent as PEM, which charon
 * accepts wherever it accepts DER.
 */
public final class ViciCodec {

  /** charon's VICI_MESSAGE_SIZE_MAX: the largest segment (excluding its length field). */
  public static final int MAX_SEGMENT_SIZE = 512 * 1024;

  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_VALUE_LENGTH = 65535;

  /** Deeper than anything charon sends (list-sas nests four levels). */
  public static final int MAX_DEPTH = 64;

  static final int SECTION_START = 1;
  static final int SECTION_END = 2;
  static final int KEY_VALUE = 3;
  static final int LIST_START = 4;
  static final int LIST_ITEM = 5;
  static final int LIST_END = 6;

  private ViciCodec() {}

  // ---------------------------------------------------------------- encoding

  /** The packet, framed: length prefix followed by {@link #encodePacket}. */
  public static byte[] frame(ViciPacket packet) {
    byte[] body = encodePacket(packet);
    byte[] framed = new byte[body.length + 4];
    writeU32(framed, 0, body.length);
    System.arraycopy(body, 0, framed, 4, body.length);
    return framed;
  }

  /** The packet without its length prefix. */
  public static byte[] encodePacket(ViciPacket packet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(packet.type().code());
    if (packet.type().named()) {
      writeName(out, packet.name(), "packet name");
    }
    if (packet.type().carriesMessage()) {
      writeMessage(out, packet.message(), 0);
    }
    if (out.size() > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          packet + " is " + out.size() + " bytes, more than the VICI limit of " + MAX_SEGMENT_SIZE);
    }
    return out.toByteArray();
  }

  /** The elements of one message (no packet header). */
  public static byte[] encodeMessage(ViciMessage message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeMessage(out, message, 0);
    return out.toByteArray();
  }

  private static void writeMessage(ByteArrayOutputStream out, ViciMessage message, int depth) {
    for (Map.Entry<String, Object> e : message.entries().entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (value instanceof String s) {
        out.write(KEY_VALUE);
        writeName(out, key, "key");
        writeValue(out, s, key);
      } else if (value instanceof List<?> items) {
        out.write(LIST_START);
        writeName(out, key, "list name");
        for (Object item : items) {
          out.write(LIST_ITEM);
          writeValue(out, (String) item, key);
        }
        out.write(LIST_END);
      } else {
        if (depth + 1 > MAX_DEPTH) {
          throw new IllegalArgumentException(
              "section '" + key + "' is nested deeper than " + MAX_DEPTH + " levels");
        }
        out.write(SECTION_START);
        writeName(out, key, "section name");
        writeMessage(out, (ViciMessage) value, depth + 1);
        out.write(SECTION_END);
      }
      if (out.size() > MAX_SEGMENT_SIZE) {
        throw new IllegalArgumentException(
            "message exceeds the VICI limit of "
                + MAX_SEGMENT_SIZE
                + " bytes at key '"
                + key
                + "'");
      }
    }
  }

  private static void writeName(ByteArrayOutputStream out, String name, String what) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " '"
              + abbreviate(name)
              + "' is "
              + bytes.length
              + " bytes, VICI allows "
              + MAX_NAME_LENGTH);
    }
    out.write(bytes.length);
    out.writeBytes(bytes);
  }

  /** Never puts the value itself in the error: it may be a secret. */
  private static void writeValue(ByteArrayOutputStream out, String value, String key) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "value of '" + key + "' is " + bytes.length + " bytes, VICI allows " + MAX_VALUE_LENGTH);
    }
    out.write(bytes.length >>> 8);
    out.write(bytes.length & 0xff);
    out.writeBytes(bytes);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Reads one segment (length prefix and body) from the stream.
   *
   * @return the body, or null when the stream ended cleanly before a new segment began
   * @throws ViciProtocolException for a zero or oversized length, or a stream that ends inside a
   *     segment
   */
  public static byte[] readSegment(InputStream in) throws IOException {
    byte[] header = in.readNBytes(4);
    if (header.length == 0) {
      return null;
    }
    if (header.length < 4) {
      throw new ViciProtocolException(
          "stream ended inside a segment length (" + header.length + " of 4 bytes)", header.length);
    }
    long length = readU32(header, 0);
    if (length == 0) {
      throw new ViciProtocolException("empty segment: a packet needs at least its type byte", 0);
    }
    if (length > MAX_SEGMENT_SIZE) {
      throw new ViciProtocolException(
          "segment length " + length + " exceeds the VICI limit of " + MAX_SEGMENT_SIZE, 0);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new ViciProtocolException(
          "stream ended inside a segment: " + body.length + " of " + length + " bytes",
          4 + body.length);
    }
    return body;
  }

  /** Decodes one packet (a segment body without its length prefix). */
  public static ViciPacket decodePacket(byte[] segment) {
    if (segment.length == 0) {
      throw new ViciProtocolException("empty packet: missing the type byte", 0);
    }
    if (segment.length > MAX_SEGMENT_SIZE) {
      throw new ViciProtocolException(
          "packet of " + segment.length + " bytes exceeds the VICI limit of " + MAX_SEGMENT_SIZE,
          0);
    }
    ViciPacketType type = ViciPacketType.fromCode(segment[0] & 0xff);
    if (type == null) {
      throw new ViciProtocolException("unknown packet type " + (segment[0] & 0xff), 0);
    }
    Reader r = new Reader(segment, 1, segment.length);
    String name = null;
    if (type.named()) {
      name = r.name(type + " name");
      if (name.isEmpty()) {
        throw new ViciProtocolException(type + " with an empty name", 1);
      }
    }
    ViciMessage message = null;
    if (type.carriesMessage()) {
      message = r.message();
    } else if (r.pos < segment.length) {
      throw new ViciProtocolException(
          type
              + " must end after its header but has "
              + (segment.length - r.pos)
              + " trailing bytes",
          r.pos);
    }
    return new ViciPacket(type, name, message);
  }

  /** Decodes the elements of one message (no packet header). Offsets count from 0. */
  public static ViciMessage decodeMessage(byte[] data) {
    return new Reader(data, 0, data.length).message();
  }

  /** A cursor over untrusted bytes; every read checks what is left first. */
  private static final class Reader {
    private final byte[] buf;
    private final int end;
    private int pos;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    ViciMessage message() {
      ViciMessage root = ViciMessage.empty();
      ViciMessage current = root;
      Deque<ViciMessage> parents = new ArrayDeque<>();
      Deque<String> path = new ArrayDeque<>();
      String listName = null;
      List<String> listItems = null;
      while (pos < end) {
        int at = pos;
        int element = buf[pos++] & 0xff;
        switch (element) {
          case SECTION_START -> {
            noOpenList(listName, "SECTION_START", at);
            String name = name("section name");
            unique(current, name, at);
            if (parents.size() >= MAX_DEPTH) {
              throw new ViciProtocolException(
                  "sections nested deeper than " + MAX_DEPTH + " levels", at);
            }
            ViciMessage section = ViciMessage.empty();
            current.putSection(name, section);
            parents.push(current);
            path.push(name);
            current = section;
          }
          case SECTION_END -> {
            noOpenList(listName, "SECTION_END", at);
            if (parents.isEmpty()) {
              throw new ViciProtocolException("SECTION_END without an open section", at);
            }
            current = parents.pop();
            path.pop();
          }
          case KEY_VALUE -> {
            noOpenList(listName, "KEY_VALUE", at);
            String name = name("key");
            String value = value("value of '" + name + "'");
            unique(current, name, at);
            current.put(name, value);
          }
          case LIST_START -> {
            noOpenList(listName, "LIST_START", at);
            String name = name("list name");
            unique(current, name, at);
            listName = name;
            listItems = new ArrayList<>();
          }
          case LIST_ITEM -> {
            if (listName == null) {
              throw new ViciProtocolException("LIST_ITEM outside a list", at);
            }
            listItems.add(value("item of list '" + listName + "'"));
          }
          case LIST_END -> {
            if (listName == null) {
              throw new ViciProtocolException("LIST_END without an open list", at);
            }
            current.putList(listName, listItems);
            listName = null;
            listItems = null;
          }
          default -> throw new ViciProtocolException("unknown element type " + element, at);
        }
      }
      if (listName != null) {
        throw new ViciProtocolException("message ends inside list '" + listName + "'", pos);
      }
      if (!parents.isEmpty()) {
        throw new ViciProtocolException(
            "message ends inside section '" + String.join(".", reversed(path)) + "'", pos);
      }
      return root;
    }

    String name(String what) {
      if (pos >= end) {
        throw new ViciProtocolException(what + " truncated: missing its length byte", pos);
      }
      int length = buf[pos] & 0xff;
      return string(what, pos + 1, length, pos);
    }

    String value(String what) {
      if (pos + 2 > end) {
        throw new ViciProtocolException(what + " truncated: missing its 2-byte length", pos);
      }
      int length = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
      return string(what, pos + 2, length, pos);
    }

    private String string(String what, int start, int length, int at) {
      if (start + length > end) {
        throw new ViciProtocolException(
            what + " truncated: length " + length + " but only " + (end - start) + " bytes left",
            at);
      }
      pos = start + length;
      return new String(buf, start, length, StandardCharsets.UTF_8);
    }

    private static void noOpenList(String listName, String element, int at) {
      if (listName != null) {
        throw new ViciProtocolException(
            element + " inside list '" + listName + "' (lists hold only items)", at);
      }
    }

    private static void unique(ViciMessage section, String name, int at) {
      if (section.has(name)) {
        throw new ViciProtocolException("duplicate name '" + name + "' in one section", at);
      }
    }

    private static List<String> reversed(Deque<String> path) {
      List<String> names = new ArrayList<>(path);
      Collections.reverse(names);
      return names;
    }
  }

  private static long readU32(byte[] b, int off) {
    return ((long) (b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  private static void writeU32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
