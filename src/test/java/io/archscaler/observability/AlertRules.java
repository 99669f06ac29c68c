package io.archscaler.observability;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The alerting rules of deploy/base/prometheusrule.yaml, as Prometheus itself would load them. */
final class AlertRules {
    /** One rule: its group, its alert name and its expression. */
    record Rule(String group, String alert, String expr) {
    }

    private AlertRules() {
    }

    /** {@code spec.groups} of the PrometheusRule: a Prometheus rule file's top-level {@code groups}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> groups() {
        Map<String, Object> doc = new Yaml().load(RepoFiles.read(RepoFiles.alertRules()));
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        return (List<Map<String, Object>>) spec.get("groups");
    }

    @SuppressWarnings("unchecked")
    static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (Map<String, Object> g : groups()) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                out.add(new Rule((String) g.get("name"), (String) r.get("alert"), (String) r.get("expr")));
            }
        }
        return out;
    }

    /** Writes the groups as a plain Prometheus rule file (what promtool and prometheus read). */
    static Path writeRuleFile(Path file) throws IOException {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(file, new Yaml(options).dump(Map.of("groups", groups())));
        return file;
    }
}
