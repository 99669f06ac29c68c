package io.archscaler.cli;

import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Node groups as {@code archscaler groups} prints them: a JSON list, or a table for people. */
public final class GroupsOutput {
    /** Labels every template carries and the table already shows in its own columns. */
    private static final Set<String> SHOWN_ELSEWHERE = Set.of(NodeTemplate.ARCH_LABEL, NodeTemplate.BETA_ARCH_LABEL,
            NodeTemplate.OS_LABEL, NodeTemplate.INSTANCE_TYPE_LABEL, NodeTemplate.GROUP_LABEL);
    private static final long KI = 1024;

    private GroupsOutput() {
    }

    /**
     * {@code [{name, provider, source, arch, minSize, maxSize, targetSize, instanceType, capacity: {cpu, memory,
     * ephemeral-storage, pods, gpu}, labels, taints: [{key, value, effect}], pricePerHour, weight}]}; capacity is
     * a new node's allocatable, in Kubernetes quantities; labels are every label of a new node.
     */
    public static JsonArray json(List<NodeGroup> groups, Predicate<String> discovered) {
        JsonArray out = new JsonArray();
        for (NodeGroup g : groups) {
            Resources r = g.template().allocatable();
            JsonObject capacity = new JsonObject()
                    .put("cpu", cpu(r.cpuMillis()))
                    .put("memory", bytes(r.memoryBytes()))
                    .put("ephemeral-storage", bytes(r.ephemeralStorageBytes()))
                    .put("pods", r.pods())
                    .put("gpu", r.extended(NodeAllocatable.GPU_RESOURCE));
            JsonArray taints = new JsonArray();
            for (Taint t : g.template().taints()) {
                taints.add(new JsonObject().put("key", t.key()).put("value", t.value())
                        .put("effect", t.effect().kubernetesName()));
            }
            out.add(new JsonObject()
                    .put("name", g.name())
                    .put("provider", g.provider())
                    .put("source", discovered.test(g.name()) ? "discovered" : "configured")
                    .put("arch", g.arch().label())
                    .put("minSize", g.minSize())
                    .put("maxSize", g.maxSize())
                    .put("targetSize", g.targetSize())
                    .put("instanceType", g.instanceType())
                    .put("capacity", capacity)
                    .put("labels", new JsonObject(new TreeMap<>(g.template().labels())))
                    .put("taints", taints)
                    .put("pricePerHour", g.pricePerHour())
                    .put("weight", g.weight()));
        }
        return out;
    }

    /** One row per group, then a count; the labels column leaves out the well-known labels the other columns show. */
    public static String table(List<NodeGroup> groups, Predicate<String> discovered) {
        TextTable t = new TextTable("NAME", "PROVIDER", "SOURCE", "ARCH", "MIN", "MAX", "TARGET", "INSTANCE-TYPE", "CPU",
                "MEMORY", "PODS", "GPU", "PRICE/H", "WEIGHT", "LABELS", "TAINTS");
        int found = 0;
        for (NodeGroup g : groups) {
            Resources r = g.template().allocatable();
            boolean isDiscovered = discovered.test(g.name());
            found += isDiscovered ? 1 : 0;
            t.row(g.name(), g.provider(), isDiscovered ? "discovered" : "configured", g.arch(), g.minSize(),
                    g.maxSize(), g.targetSize(), g.instanceType() == null ? "-" : g.instanceType(), cpu(r.cpuMillis()),
                    bytes(r.memoryBytes()), r.pods(), r.extended(NodeAllocatable.GPU_RESOURCE), price(g.pricePerHour()),
                    g.weight(), labels(g.template().labels()), taints(g.template().taints()));
        }
        return t.render() + "\n" + groups.size() + " node group" + (groups.size() == 1 ? "" : "s") + ": "
                + (groups.size() - found) + " configured, " + found + " discovered.\n";
    }

    /** Millicores as Kubernetes writes them: {@code 2}, {@code 1930m}. */
    static String cpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** Bytes in the largest binary unit that divides them: {@code 8Gi}, {@code 7514Mi}, {@code 1000}. */
    static String bytes(long n) {
        String[] units = {"Ki", "Mi", "Gi", "Ti", "Pi"};
        String unit = "";
        for (String u : units) {
            if (n == 0 || n % KI != 0) {
                break;
            }
            n /= KI;
            unit = u;
        }
        return n + unit;
    }

    private static String price(double p) {
        return p <= 0 ? "-" : String.format(java.util.Locale.ROOT, "%.4f", p);
    }

    private static String labels(Map<String, String> labels) {
        String s = new TreeMap<>(labels).entrySet().stream()
                .filter(e -> !SHOWN_ELSEWHERE.contains(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return s.isEmpty() ? "<none>" : s;
    }

    private static String taints(List<Taint> taints) {
        return taints.isEmpty() ? "<none>" : taints.stream().map(Taint::toString).collect(Collectors.joining(","));
    }
}
