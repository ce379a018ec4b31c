package dev.ipsec.operator.render;

import java.util.ArrayList;
import java.util.List;

/** Collects every error of one resource so that a user sees all of them at once. */
public final class FieldErrors {

  private final List<FieldError> errors = new ArrayList<>();

  public void add(FieldPath path, String message) {
    errors.add(new FieldError(path.toString(), message));
  }

  public void addAll(List<FieldError> more) {
    errors.addAll(more);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public int size() {
    return errors.size();
  }

  public List<FieldError> toList() {
    return List.copyOf(errors);
  }
}
