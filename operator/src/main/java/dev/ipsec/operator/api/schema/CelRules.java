package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the CRD's {@code x-kubernetes-validations} with cel-java, binding {@code self} to the
 * value of the node that carries the rule, as the API server does. A rule is only evaluated where
 * its node is present.
 */
final class CelRules {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  static List<SchemaViolation> evaluate(JsonNode schema, JsonNode value) {
    List<SchemaViolation> violations = new ArrayList<>();
    SchemaWalk.visit(
        schema,
        value,
        (node, self, path) -> {
          for (JsonNode rule : node.path("x-kubernetes-validations")) {
            check(rule, self, path, violations);
          }
        });
    return violations;
  }

  private static void check(JsonNode rule, JsonNode value, String path, List<SchemaViolation> out) {
    String expression = rule.path("rule").asText();
    String where = path + fieldPathSuffix(rule.path("fieldPath").asText(""));
    try {
      Object result = program(expression).eval(Map.of("self", toCel(value)));
      if (!Boolean.TRUE.equals(result)) {
        String message = rule.path("message").asText("failed rule: " + expression);
        out.add(new SchemaViolation(where, message));
      }
    } catch (CelEvaluationException e) {
      out.add(
          new SchemaViolation(
              where, "rule " + expression + " could not be evaluated: " + e.getMessage()));
    }
  }

  private static String fieldPathSuffix(String fieldPath) {
    if (fieldPath.isEmpty()) {
      return "";
    }
    return fieldPath.startsWith(".") ? fieldPath : "." + fieldPath;
  }

  static CelRuntime.Program program(String expression) {
    return PROGRAMS.computeIfAbsent(expression, CelRules::compile);
  }

  private static CelRuntime.Program compile(String expression) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("invalid CEL rule in the CRD: " + expression, e);
    }
  }

  /** JSON to the values CEL expects: maps, lists, int64, double, string, bool. */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull()) {
                  map.put(e.getKey(), toCel(e.getValue()));
                }
              });
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
