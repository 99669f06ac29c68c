package io.archscaler.cloud.aws.asg;

import io.archscaler.scaler.model.Quantity;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node template an Auto Scaling group describes in its tags, by Cluster Autoscaler's
 * convention, so a group at zero nodes can still be planned for:
 * {@code k8s.io/cluster-autoscaler/node-template/label/<key>: <value>},
 * {@code …/taint/<key>: <value>:<Effect>} and {@code …/resources/<resource>: <quantity>}.
 */
public record AsgTemplateTags(Map<String, String> labels, List<Taint> taints, Map<String, String> resources) {
    public static final String PREFIX = "k8s.io/cluster-autoscaler/node-template/";
    public static final String LABEL = PREFIX + "label/";
    public static final String TAINT = PREFIX + "taint/";
    public static final String RESOURCES = PREFIX + "resources/";

    public AsgTemplateTags {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        resources = Map.copyOf(resources);
    }

    /** Reads the template tags; a malformed one is an {@link IllegalArgumentException} naming the tag. */
    public static AsgTemplateTags parse(List<TagDescription> tags) {
        Map<String, String> labels = new TreeMap<>();
        Map<String, Taint> taints = new TreeMap<>();
        Map<String, String> resources = new TreeMap<>();
        for (TagDescription tag : tags) {
            String key = tag.key();
            String value = tag.value() == null ? "" : tag.value();
            if (key == null) {
                continue;
            }
            if (key.startsWith(LABEL) && key.length() > LABEL.length()) {
                labels.put(key.substring(LABEL.length()), value);
            } else if (key.startsWith(TAINT) && key.length() > TAINT.length()) {
                String taintKey = key.substring(TAINT.length());
                taints.put(taintKey, taint(key, taintKey, value));
            } else if (key.startsWith(RESOURCES) && key.length() > RESOURCES.length()) {
                resources.put(key.substring(RESOURCES.length()), value);
            }
        }
        // Parse now so a bad quantity is reported with its tag, not later.
        resources.forEach((name, quantity) -> Quantity.parse("tag " + RESOURCES + name, quantity));
        return new AsgTemplateTags(labels, new ArrayList<>(taints.values()), resources);
    }

    private static Taint taint(String tag, String taintKey, String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("tag " + tag + ": expected \"value:Effect\" (for example"
                    + " \"true:NoSchedule\"), was \"" + value + "\"");
        }
        String effect = value.substring(colon + 1);
        TaintEffect parsed = TaintEffect.parse(effect).orElseThrow(() -> new IllegalArgumentException("tag " + tag
                + ": unknown taint effect \"" + effect + "\" (NoSchedule, PreferNoSchedule or NoExecute)"));
        return new Taint(taintKey, value.substring(0, colon), parsed);
    }

    /** {@code base} with each resource these tags name replaced by the tag's amount. */
    public Resources applyTo(Resources base) {
        if (resources.isEmpty()) {
            return base;
        }
        Resources t = Resources.parse("tag " + RESOURCES, resources);
        Map<String, Long> extended = new TreeMap<>(base.extended());
        extended.putAll(t.extended());
        return new Resources(
                resources.containsKey("cpu") ? t.cpuMillis() : base.cpuMillis(),
                resources.containsKey("memory") ? t.memoryBytes() : base.memoryBytes(),
                resources.containsKey("ephemeral-storage") ? t.ephemeralStorageBytes() : base.ephemeralStorageBytes(),
                resources.containsKey("pods") ? t.pods() : base.pods(),
                extended);
    }
}
