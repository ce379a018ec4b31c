package dev.ipsec.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The ArgoCD health scripts of the chart (the argocd-cm snippet {@code argocd/health.lua.yaml}, the
 * argocd-operator snippet, the per-kind {@code health.lua}), run the way ArgoCD runs them: a Lua
 * chunk with the resource as global {@code obj}, returning a table with {@code status} and {@code
 * message}.
 */
final class ArgoCdHealth {
  static final String KEY_PREFIX = "resource.customizations.health.";

  private ArgoCdHealth() {}

  static Path snippet() {
    return HelmChart.file("argocd/health.lua.yaml");
  }

  /** Script per ArgoCD key, e.g. {@code resource.customizations.health.ipsec.dev_IpsecPeer}. */
  static Map<String, String> scripts() throws IOException {
    LoaderOptions options = new LoaderOptions();
    try (Reader reader = Files.newBufferedReader(snippet())) {
      Map<String, Object> configMap = new Yaml(options).load(reader); // resolves the &health alias
      @SuppressWarnings("unchecked")
      Map<String, Object> data = (Map<String, Object>) configMap.get("data");
      Map<String, String> scripts = new LinkedHashMap<>();
      data.forEach((key, value) -> scripts.put(key, (String) value));
      return scripts;
    }
  }

  /** The {@code spec.resourceHealthChecks} of the argocd-operator snippet, in order. */
  static List<Check> operatorChecks() throws IOException {
    try (Reader reader =
        Files.newBufferedReader(HelmChart.file("argocd/" + ArgoCdHealthFiles.OPERATOR))) {
      Map<String, Object> argocd = new Yaml(new LoaderOptions()).load(reader);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) argocd.get("spec");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> checks =
          (List<Map<String, Object>>) spec.get("resourceHealthChecks");
      return checks.stream()
          .map(
              c ->
                  new Check(
                      (String) c.get("group"), (String) c.get("kind"), (String) c.get("check")))
          .toList();
    }
  }

  static Result evaluate(String script, JsonNode resource) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(resource));
    LuaValue returned = globals.load(script, "health.lua").call();
    return new Result(returned.get("status").tojstring(), returned.get("message").optjstring(null));
  }

  /** JSON to Lua the way ArgoCD's gopher-lua conversion does: objects and arrays become tables. */
  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    if (node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }

  record Result(String status, String message) {}

  /** One entry of argocd-operator's {@code resourceHealthChecks}. */
  record Check(String group, String kind, String check) {}
}
