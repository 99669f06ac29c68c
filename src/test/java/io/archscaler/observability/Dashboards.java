package io.archscaler.observability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The queries of the Grafana dashboards in grafana/: every panel target and every query variable. */
final class Dashboards {
    /** One PromQL expression of a panel, with where it came from. */
    record PanelQuery(String dashboard, String panel, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + " [" + refId + "]: " + expr;
        }
    }

    /** The Grafana variables a test substitutes before sending an expression to Prometheus. */
    static String substitute(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "5m")
                .replace("${node_group}", ".*")
                .replace("$node_group", ".*")
                .replace("${cluster}", ".*")
                .replace("$cluster", ".*");
    }

    private Dashboards() {
    }

    static JsonObject load(Path file) {
        return new JsonObject(RepoFiles.read(file));
    }

    /** Every target expression of every panel (rows' nested panels included) of every dashboard. */
    static List<PanelQuery> panelQueries() {
        List<PanelQuery> out = new ArrayList<>();
        for (Path file : RepoFiles.dashboards()) {
            JsonObject d = load(file);
            collect(d.getString("title"), d.getJsonArray("panels", new JsonArray()), out);
        }
        return out;
    }

    private static void collect(String dashboard, JsonArray panels, List<PanelQuery> out) {
        for (Object o : panels) {
            JsonObject p = (JsonObject) o;
            collect(dashboard, p.getJsonArray("panels", new JsonArray()), out);
            for (Object t : p.getJsonArray("targets", new JsonArray())) {
                JsonObject target = (JsonObject) t;
                out.add(new PanelQuery(dashboard, p.getString("title"), target.getString("refId"),
                        target.getString("expr")));
            }
        }
    }

    /** Each dashboard's variables, by dashboard title. */
    static List<JsonObject> variables(Path file) {
        List<JsonObject> out = new ArrayList<>();
        load(file).getJsonObject("templating").getJsonArray("list").forEach(v -> out.add((JsonObject) v));
        return out;
    }
}
