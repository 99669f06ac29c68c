package io.archscaler.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The median of each number over several runs' JSON results, with its lowest and highest value:
 * what a figure is when it is quoted, and how much runs varied.
 */
public final class RunSpread {
    /** One figure over the runs: its path in the JSON ("paced.latencyBeyondWindowMillis.p99"), median, min, max. */
    public record Figure(String path, double median, double min, double max) {
        /** How far the runs lay apart, relative to the median; 0 when the median is 0. */
        public double spread() {
            return median == 0 ? 0 : (max - min) / Math.abs(median);
        }

        JsonObject toJson() {
            return new JsonObject().put("median", Stats.round(median, 3)).put("min", Stats.round(min, 3))
                    .put("max", Stats.round(max, 3));
        }
    }

    private RunSpread() {
    }

    /**
     * Every number found at the same path in each run (nested objects walked, arrays and the
     * {@code machine} block left out), in the first run's order; a path missing from a run is left out.
     */
    public static List<Figure> of(List<JsonObject> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        Map<String, List<Double>> byPath = new LinkedHashMap<>();
        for (JsonObject run : runs) {
            collect("", run, byPath);
        }
        List<Figure> figures = new ArrayList<>();
        byPath.forEach((path, values) -> {
            if (values.size() == runs.size()) {
                double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
                java.util.Arrays.sort(v);
                figures.add(new Figure(path, median(v), v[0], v[v.length - 1]));
            }
        });
        return figures;
    }

    /** The median of sorted values: the middle one, or the mean of the two middle ones. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The figures as one JSON object keyed by path. */
    public static JsonObject toJson(List<Figure> figures) {
        JsonObject json = new JsonObject();
        figures.forEach(f -> json.put(f.path(), f.toJson()));
        return json;
    }

    /** The load average each run reported, in run order (NaN where a run gave none). */
    public static JsonArray loadAverages(List<JsonObject> runs) {
        JsonArray loads = new JsonArray();
        for (JsonObject run : runs) {
            JsonObject machine = run.getJsonObject("machine");
            Double load = machine == null ? null : machine.getDouble("loadAverage");
            loads.add(load == null ? Double.NaN : load);
        }
        return loads;
    }

    private static void collect(String prefix, JsonObject object, Map<String, List<Double>> byPath) {
        for (String name : object.fieldNames()) {
            Object value = object.getValue(name);
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (value instanceof Number n) {
                byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(n.doubleValue());
            } else if (value instanceof JsonObject nested && !(prefix.isEmpty() && "machine".equals(name))) {
                collect(path, nested, byPath);
            }
        }
    }
}
