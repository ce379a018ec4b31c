package dev.ipsec.operator.render;

/**
 * An immutable JSON-style path into a resource ({@code spec.tunnels[1].local.prefixes[0]}), built
 * while walking the spec so that every error names the field it is about.
 */
public final class FieldPath {

  private final String text;

  private FieldPath(String text) {
    this.text = text;
  }

  public static FieldPath of(String root) {
    return new FieldPath(root);
  }

  public FieldPath field(String name) {
    return new FieldPath(text.isEmpty() ? name : text + "." + name);
  }

  public FieldPath index(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPath path && path.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
