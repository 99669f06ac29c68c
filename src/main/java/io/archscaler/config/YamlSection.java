package io.archscaler.config;

import io.archscaler.scaler.model.InvalidQuantityException;
import io.archscaler.scaler.model.Quantity;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A typed reader over one YAML mapping that keeps every value's line, so each error names the
 * file, the line and the full key path. A section first declares the keys it knows
 * ({@link #requireKnown}); each key is then read with one call that applies its default.
 */
final class YamlSection {
    private final String file;
    private final String path;
    private final int line;
    private final Map<String, NodeTuple> entries;
    private Set<String> known;

    private YamlSection(String file, String path, int line, Map<String, NodeTuple> entries) {
        this.file = file;
        this.path = path;
        this.line = line;
        this.entries = entries;
    }

    /** The top-level mapping of a document. */
    static YamlSection root(String file, Node node) {
        return of(file, "", node);
    }

    private static YamlSection of(String file, String path, Node node) {
        if (!(node instanceof MappingNode mapping)) {
            throw ConfigException.at(file, lineOf(node), path,
                    "expected a mapping" + (path.isEmpty() ? " at the top level" : "") + " (got " + describe(node) + ")");
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw ConfigException.at(file, lineOf(t.getKeyNode()), path, "keys must be plain strings");
            }
            NodeTuple previous = entries.putIfAbsent(key.getValue(), t);
            if (previous != null) {
                throw ConfigException.at(file, lineOf(key), join(path, key.getValue()),
                        "duplicate key (first given on line " + lineOf(previous.getKeyNode()) + ")");
            }
        }
        return new YamlSection(file, path, lineOf(node), entries);
    }

    String file() {
        return file;
    }

    /** This section's key path, {@code nodeGroups[0]}; empty at the top level. */
    String path() {
        return path;
    }

    /** Refuses any key not listed, naming the ones that are allowed. */
    YamlSection requireKnown(String... keys) {
        known = new LinkedHashSet<>(List.of(keys));
        for (NodeTuple t : entries.values()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!known.contains(key)) {
                throw ConfigException.at(file, lineOf(t.getKeyNode()), join(path, key),
                        "unknown key (expected one of: " + String.join(", ", known) + ")");
            }
        }
        return this;
    }

    /** Whether the key is given with a value ({@code key:} with nothing after it counts as absent). */
    boolean has(String key) {
        return value(key) != null;
    }

    /** The keys given, in file order. */
    Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    // ---- scalars

    String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    Optional<String> optionalString(String key) {
        Node n = value(key);
        return n == null ? Optional.empty() : Optional.of(scalar(key, n, "a string").getValue());
    }

    /** One of a fixed set of words, e.g. a provider or an arch. */
    <T> T choice(String key, Map<String, T> choices) {
        String word = string(key);
        return choiceOf(key, word, choices);
    }

    <T> T choice(String key, Map<String, T> choices, T defaultValue) {
        return has(key) ? choice(key, choices) : defaultValue;
    }

    private <T> T choiceOf(String key, String word, Map<String, T> choices) {
        T v = choices.get(word);
        if (v == null) {
            throw error(key, "unknown value \"" + word + "\" (expected one of: " + String.join(", ", choices.keySet()) + ")");
        }
        return v;
    }

    int integer(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return integer(key, 0);
    }

    int integer(String key, int defaultValue) {
        Node n = value(key);
        if (n == null) {
            return defaultValue;
        }
        ScalarNode s = scalar(key, n, "an integer");
        if (!Tag.INT.equals(s.getTag())) {
            throw error(key, "expected an integer (got " + describe(s) + ")");
        }
        try {
            return Integer.parseInt(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, "expected an integer (got " + describe(s) + ")");
        }
    }

    /** A count that may not be negative. */
    int count(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return count(key, 0);
    }

    int count(String key, int defaultValue) {
        return between(key, defaultValue, 0, Integer.MAX_VALUE);
    }

    int between(String key, int defaultValue, int min, int max) {
        int v = integer(key, defaultValue);
        if (has(key)) {
            if (v < 0 && min == 0) {
                throw error(key, "must not be negative (got " + v + ")");
            }
            if (v < min || v > max) {
                throw error(key, "must be between " + min + " and " + max + " (got " + v + ")");
            }
        }
        return v;
    }

    OptionalLong optionalCount(String key) {
        return has(key) ? OptionalLong.of(count(key)) : OptionalLong.empty();
    }

    double decimal(String key, double defaultValue, double min, double max) {
        Node n = value(key);
        if (n == null) {
            return defaultValue;
        }
        ScalarNode s = scalar(key, n, "a number");
        double v;
        try {
            if (!Tag.INT.equals(s.getTag()) && !Tag.FLOAT.equals(s.getTag())) {
                throw new NumberFormatException();
            }
            v = Double.parseDouble(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, "expected a number (got " + describe(s) + ")");
        }
        if (!(v >= min && v <= max)) {
            throw error(key, (min == 0 && max == Double.MAX_VALUE ? "must not be negative" :
                    "must be between " + plain(min) + " and " + plain(max)) + " (got " + s.getValue() + ")");
        }
        return v;
    }

    boolean bool(String key, boolean defaultValue) {
        Node n = value(key);
        if (n == null) {
            return defaultValue;
        }
        ScalarNode s = scalar(key, n, "true or false");
        if (!Tag.BOOL.equals(s.getTag())) {
            throw error(key, "expected true or false (got " + describe(s) + ")");
        }
        return switch (s.getValue().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "y" -> true;
            default -> false;
        };
    }

    /** A Go-style duration such as {@code 500ms}, {@code 10s}, {@code 1h30m}. */
    Duration duration(String key, Duration defaultValue) {
        Node n = value(key);
        if (n == null) {
            return defaultValue;
        }
        String text = scalar(key, n, "a duration").getValue();
        return Durations.parse(text).orElseThrow(() -> error(key,
                "invalid duration \"" + text + "\" (use a Go duration such as 500ms, 10s, 10m, 1h30m)"));
    }

    /** Like {@link #duration} but zero is refused. */
    Duration positiveDuration(String key, Duration defaultValue) {
        Duration d = duration(key, defaultValue);
        if (d.isZero()) {
            throw error(key, "must be longer than 0s");
        }
        return d;
    }

    /** A whole-unit Kubernetes quantity ({@code 1Mi}, {@code 4Ti}, {@code 100}). */
    OptionalLong quantity(String key) {
        Node n = value(key);
        if (n == null) {
            return OptionalLong.empty();
        }
        String text = scalar(key, n, "a quantity").getValue();
        try {
            return OptionalLong.of(Quantity.parseUnits(join(path, key), text));
        } catch (InvalidQuantityException e) {
            throw ConfigException.at(file, lineOf(n), null, e.getMessage());
        }
    }

    // ---- collections

    /** A nested mapping, if given. */
    Optional<YamlSection> section(String key) {
        Node n = value(key);
        return n == null ? Optional.empty() : Optional.of(of(file, join(path, key), n));
    }

    /** Whether the key's value is a mapping (a setting given either as one word or as a block). */
    boolean isMapping(String key) {
        return value(key) instanceof MappingNode;
    }

    /** A nested mapping, or an empty one when absent, so its defaults apply. */
    YamlSection sectionOrEmpty(String key) {
        return section(key).orElseGet(() -> new YamlSection(file, join(path, key), lineOfKey(key), Map.of()));
    }

    /** A list of mappings ({@code nodeGroups[0]}, {@code nodeGroups[1]}, …). */
    List<YamlSection> sections(String key) {
        return list(key, (item, where) -> of(file, where, item));
    }

    List<String> strings(String key) {
        return list(key, (item, where) -> {
            if (!(item instanceof ScalarNode s) || Tag.NULL.equals(s.getTag())) {
                throw ConfigException.at(file, lineOf(item), where, "expected a string (got " + describe(item) + ")");
            }
            return s.getValue();
        });
    }

    /** A mapping of strings to strings (labels, a resource list); values keep their YAML text. */
    Map<String, String> stringMap(String key) {
        Node n = value(key);
        if (n == null) {
            return Map.of();
        }
        YamlSection m = of(file, join(path, key), n);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : m.keys()) {
            Node v = m.value(k);
            out.put(k, v == null ? "" : m.scalar(k, v, "a string").getValue());
        }
        return out;
    }

    /** The line of a key's value, for errors that concern it and for nested readers. */
    int lineOf(String key) {
        Node n = value(key);
        return n != null ? lineOf(n) : lineOfKey(key);
    }

    private <T> List<T> list(String key, ItemReader<T> reader) {
        Node n = value(key);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof SequenceNode seq)) {
            throw error(key, "expected a list (got " + describe(n) + ")");
        }
        List<T> out = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(reader.read(items.get(i), join(path, key) + "[" + i + "]"));
        }
        return out;
    }

    // ---- errors

    /** An error about a key of this section, on the line of its value (or of the section when absent). */
    ConfigException error(String key, String message) {
        return ConfigException.at(file, lineOf(key), join(path, key), message);
    }

    /** An error about this section as a whole. */
    ConfigException error(String message) {
        return ConfigException.at(file, line, path, message);
    }

    ConfigException missing(String key) {
        return ConfigException.at(file, line, join(path, key), "required");
    }

    /** Runs a parse step that may throw an {@link InvalidQuantityException} and puts the key's line on it. */
    <T> T atLineOf(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidQuantityException e) {
            throw ConfigException.at(file, lineOf(key), null, e.getMessage());
        }
    }

    private Node value(String key) {
        if (known != null && !known.contains(key)) {
            throw new IllegalStateException("key " + join(path, key) + " read but not declared in requireKnown");
        }
        NodeTuple t = entries.get(key);
        if (t == null) {
            return null;
        }
        Node v = t.getValueNode();
        return v instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) ? null : v;
    }

    private ScalarNode scalar(String key, Node n, String expected) {
        if (!(n instanceof ScalarNode s)) {
            throw error(key, "expected " + expected + " (got " + describe(n) + ")");
        }
        return s;
    }

    private int lineOfKey(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? line : lineOf(t.getKeyNode());
    }

    private static int lineOf(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof ScalarNode s) {
            return Tag.NULL.equals(s.getTag()) ? "nothing" : "\"" + s.getValue() + "\"";
        }
        return "nothing";
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(Node item, String where);
    }
}
