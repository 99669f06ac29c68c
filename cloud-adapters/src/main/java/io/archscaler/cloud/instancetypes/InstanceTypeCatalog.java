package io.archscaler.cloud.instancetypes;

import io.archscaler.scaler.model.Arch;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instance types Archscaler knows without asking the cloud, read from a JSON resource, so
 * a node group can leave out its arch, price and capacity when its instance type is listed.
 */
public final class InstanceTypeCatalog {
    /** The bundled AWS catalog, beside this class. */
    public static final String BUNDLED_RESOURCE = "aws-instance-types.json";

    private final Map<String, InstanceType> byName;

    public InstanceTypeCatalog(List<InstanceType> types) {
        Map<String, InstanceType> m = new LinkedHashMap<>();
        for (InstanceType t : types) {
            if (m.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("instance type " + t.name() + " is listed twice");
            }
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** Reads the catalog bundled with Archscaler (a fresh read on each call; nothing is cached). */
    public static InstanceTypeCatalog bundled() {
        try (InputStream in = InstanceTypeCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED_RESOURCE + " is missing from the classpath");
            }
            return read(in, BUNDLED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
        }
    }

    /**
     * Reads a catalog in the bundled format: {@code {"instanceTypes": [{"name", "arch", "vcpu",
     * "memoryMiB", "enis", "ipv4PerEni", "gpus", "pricePerHour"}]}}; {@code source} names the
     * input in errors.
     */
    public static InstanceTypeCatalog read(InputStream in, String source) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(in);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("instanceTypes");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(source + ": expected an object with an \"instanceTypes\" array");
        }
        List<InstanceType> types = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            types.add(entry(source + ": instanceTypes[" + i + "]", list.get(i)));
        }
        try {
            return new InstanceTypeCatalog(types);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static InstanceType entry(String where, JsonNode n) {
        String name = text(where, n, "name");
        String archLabel = text(where, n, "arch");
        Arch arch = Arch.fromLabel(archLabel).orElseThrow(() ->
                new IllegalArgumentException(where + ".arch: unknown architecture \"" + archLabel + "\""));
        int enis = (int) number(where, n, "enis");
        int ipv4PerEni = (int) number(where, n, "ipv4PerEni");
        return new InstanceType(name, arch, (int) number(where, n, "vcpu"), number(where, n, "memoryMiB"),
                InstanceType.maxPodsForEnis(enis, ipv4PerEni), (int) number(where, n, "gpus"), price(where, n));
    }

    private static String text(String where, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString() || v.stringValue().isEmpty()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a non-empty string");
        }
        return v.stringValue();
    }

    private static long number(String where, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(where + "." + field + ": expected a non-negative integer");
        }
        return v.asLong();
    }

    private static double price(String where, JsonNode n) {
        JsonNode v = n.get("pricePerHour");
        if (v == null || !v.isNumber() || v.asDouble() < 0) {
            throw new IllegalArgumentException(where + ".pricePerHour: expected a non-negative number");
        }
        return v.asDouble();
    }

    public Optional<InstanceType> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /**
     * Other types a spot fleet may use in place of {@code type}: the same arch, vCPUs, memory and
     * GPUs, cheapest first (then by name), {@code type} itself and burstable {@code t} types (CPU
     * credits make them unlike the rest) left out.
     */
    public List<InstanceType> similar(InstanceType type) {
        return byName.values().stream()
                .filter(t -> !t.name().equals(type.name()) && !t.name().startsWith("t")
                        && t.arch() == type.arch() && t.vcpu() == type.vcpu()
                        && t.memoryMiB() == type.memoryMiB() && t.gpus() == type.gpus())
                .sorted(Comparator.comparingDouble(InstanceType::pricePerHour).thenComparing(InstanceType::name))
                .toList();
    }

    /** Every type, in the order of the catalog. */
    public List<InstanceType> all() {
        return List.copyOf(byName.values());
    }
}
