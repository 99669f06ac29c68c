package io.archscaler.testing;

import org.junit.jupiter.api.function.Executable;

import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/** Runs one try of a seeded property so that its failure names the seed that replays it and the input it made. */
public final class Tries {
    /** Longer inputs are cut in the message; the seed replays them whole. */
    private static final int MAX_SHOWN = 4000;

    private Tries() {
    }

    /** Runs the checks on the inputs generated from the seed; any failure is rethrown with both. */
    public static void check(long seed, Executable checks, Object... inputs) {
        try {
            checks.execute();
        } catch (Throwable failure) {
            StringBuilder message = new StringBuilder("seed ").append(seed).append(" (replay with -D")
                    .append(SeedSource.REPLAY).append('=').append(seed).append(")\n");
            for (int i = 0; i < inputs.length; i++) {
                message.append("input ").append(i + 1).append(": ").append(shown(describe(inputs[i]))).append('\n');
            }
            // an assertion's own message is enough; anything else is a crash and shows its type
            message.append(failure instanceof AssertionError ? failure.getMessage() : failure.toString());
            throw new AssertionError(message.toString(), failure);
        }
    }

    /** An input as a Java literal would write it, so control characters and lone surrogates are visible. */
    static String describe(Object input) {
        if (input instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            s.chars().forEach(c -> out.append(escaped((char) c)));
            return out.append("\" (").append(s.length()).append(" chars)").toString();
        }
        if (input instanceof byte[] b) {
            return "bytes[" + b.length + "] " + HexFormat.ofDelimiter(" ").formatHex(b);
        }
        if (input instanceof Collection<?> items) {
            return items.stream().map(Tries::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        if (input instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> describe(e.getKey()) + "=" + describe(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(input);
    }

    private static String escaped(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            default -> c < 0x20 || c == 0x7F || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c)
                    : String.valueOf(c);
        };
    }

    private static String shown(String text) {
        return text.length() <= MAX_SHOWN ? text
                : text.substring(0, MAX_SHOWN) + "… (" + (text.length() - MAX_SHOWN) + " more chars)";
    }
}
