package dev.ipsec.operator.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import dev.ipsec.operator.render.FieldError;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Collects every problem of binding one document to its class, each with the path of its field
 * ({@code spec.tunnels[0].espGroup}) and a message in the API's words ({@link BindingMessages}),
 * instead of Jackson's first exception with Java class names. The field in question is left unset
 * and binding goes on, so that one document reports all its problems and still takes part in the
 * other checks (a peer keeps finding its IkeGroup).
 */
final class BindingProblems extends DeserializationProblemHandler {

  private final boolean unknownFieldsAreErrors;
  private final List<FieldError> problems = new ArrayList<>();

  /**
   * @param unknownFieldsAreErrors true for this API's kinds (a typo must not drop a setting); false
   *     for Secrets and ConfigMaps, whose other fields are none of our business
   */
  BindingProblems(boolean unknownFieldsAreErrors) {
    this.unknownFieldsAreErrors = unknownFieldsAreErrors;
  }

  List<FieldError> problems() {
    return List.copyOf(problems);
  }

  @Override
  public boolean handleUnknownProperty(
      DeserializationContext ctxt,
      JsonParser p,
      JsonDeserializer<?> deserializer,
      Object beanOrClass,
      String propertyName)
      throws IOException {
    if (unknownFieldsAreErrors) {
      problems.add(new FieldError(path(p), BindingMessages.UNKNOWN_FIELD));
    }
    p.skipChildren();
    return true;
  }

  @Override
  public Object handleWeirdStringValue(
      DeserializationContext ctxt, Class<?> targetType, String valueToConvert, String failureMsg) {
    problems.add(
        new FieldError(
            path(ctxt.getParser()), BindingMessages.forValue(targetType, valueToConvert)));
    return null;
  }

  @Override
  public Object handleWeirdNumberValue(
      DeserializationContext ctxt, Class<?> targetType, Number valueToConvert, String failureMsg) {
    problems.add(
        new FieldError(
            path(ctxt.getParser()),
            BindingMessages.forValue(targetType, String.valueOf(valueToConvert))));
    return null;
  }

  @Override
  public Object handleUnexpectedToken(
      DeserializationContext ctxt,
      JavaType targetType,
      JsonToken t,
      JsonParser p,
      String failureMsg)
      throws IOException {
    problems.add(new FieldError(path(p), BindingMessages.expected(targetType.getRawClass())));
    p.skipChildren();
    return null;
  }

  @Override
  public Object handleMissingInstantiator(
      DeserializationContext ctxt,
      Class<?> instClass,
      ValueInstantiator valueInsta,
      JsonParser p,
      String msg)
      throws IOException {
    problems.add(new FieldError(path(p), BindingMessages.expected(instClass)));
    p.skipChildren();
    return null;
  }

  /**
   * The field the parser stands on, in the form of the other checks' errors. On the start of an
   * object or a list the parser is already inside it, so the field is its parent's.
   */
  static String path(JsonParser p) {
    JsonStreamContext context = p.getParsingContext();
    if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
      context = context.getParent();
    }
    Deque<String> parts = new ArrayDeque<>();
    for (; context != null && !context.inRoot(); context = context.getParent()) {
      if (context.inArray() && context.getCurrentIndex() >= 0) {
        parts.addFirst("[" + context.getCurrentIndex() + "]");
      } else if (context.inObject() && context.getCurrentName() != null) {
        parts.addFirst((context.getParent().inRoot() ? "" : ".") + context.getCurrentName());
      }
    }
    return String.join("", parts);
  }
}
