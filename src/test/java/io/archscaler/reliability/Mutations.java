package io.archscaler.reliability;

import io.archscaler.testing.Gen;
import org.junit.jupiter.api.Named;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Mutated copies of a valid document, as an operator's typo, a bad merge or a truncated copy
 * makes them: lines dropped, doubled, swapped or shifted, values replaced by nasty tokens, the
 * text cut short or spliced.
 */
public final class Mutations {
    /** Values that break parsers: out of range, wrong type, YAML specials, huge, empty. */
    public static final List<String> NASTY = List.of("-1", "0", "1e400", "99999999999999999999", "4Gi", "8Ei", "1.5",
            "", "null", "~", "[]", "{}", "[[[[", "\"", "'", "yes", "on", "NaN", ".inf", "-.inf", "0x1F", "0o17", "10m",
            "500m", "1ms", "PT5M", "-5s", "&a", "*a", "!!binary AAAA", "!!java.lang.Object {}", "{a: 1, a: 2}", "\t",
            "\\u0000", "ünïcödé", "a".repeat(300), "<<: *x", "? complex", "---", "...", "%YAML 1.2", "- item",
            "key: value", "2026-11-22T10:00:00Z", "1h", "-0", "+5", "0.0000001", "1e-9", "m7g.large", "arm64",
            "amd64", "x86_64", "NoSchedule", "http://", "🚀");

    /** Short texts a string generator tries first (empty, blank, a NUL, a lone surrogate), then the nasty values. */
    public static final List<String> EDGE_TEXTS = Stream.concat(
            Stream.of("", " ", "\n", "\0", "\ud800", "\uffff"), NASTY.stream()).distinct().toList();

    private enum Op { DELETE_LINE, DUPLICATE_LINE, SWAP_LINES, REPLACE_VALUE, INDENT, DEDENT, TRUNCATE, INSERT }

    private record Mutation(Op op, int a, int b, String token) {
        String apply(String text) {
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int i = Math.floorMod(a, lines.size());
            int j = Math.floorMod(b, lines.size());
            switch (op) {
                case DELETE_LINE -> lines.remove(i);
                case DUPLICATE_LINE -> lines.add(i, lines.get(i));
                case SWAP_LINES -> {
                    String t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                }
                case REPLACE_VALUE -> {
                    String line = lines.get(i);
                    int colon = line.indexOf(": ");
                    lines.set(i, colon < 0 ? line.replaceFirst("\\S.*$", java.util.regex.Matcher.quoteReplacement(token))
                            : line.substring(0, colon + 2) + token);
                }
                case INDENT -> lines.set(i, "  " + lines.get(i));
                case DEDENT -> lines.set(i, lines.get(i).replaceFirst("^  ", ""));
                case TRUNCATE -> {
                    return text.substring(0, Math.floorMod(a, text.length() + 1));
                }
                case INSERT -> {
                    int at = Math.floorMod(a, text.length() + 1);
                    return text.substring(0, at) + token + text.substring(at);
                }
            }
            return String.join("\n", lines);
        }
    }

    private Mutations() {
    }

    /**
     * Each kind of mutation once at the start of each document with an empty token and once at its
     * end with a quote, as a generator's smallest and largest choices would.
     */
    public static List<Named<String>> edgeCases(List<String> documents) {
        List<Named<String>> out = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            for (Op op : Op.values()) {
                out.add(Named.of("document " + (d + 1) + ": " + op + " at the start", new Mutation(op, 0, 0, "")
                        .apply(documents.get(d))));
                out.add(Named.of("document " + (d + 1) + ": " + op + " at the end", new Mutation(op, -1, -1, "\"")
                        .apply(documents.get(d))));
            }
        }
        return out;
    }

    /** One to three mutations of one of the documents. */
    public static String of(Gen gen, List<String> documents) {
        String out = gen.pick(documents);
        for (int n = 1 + gen.size(2); n > 0; n--) {
            Mutation m = new Mutation(gen.pick(Op.values()), gen.between(0, 100_000), gen.between(0, 100_000),
                    gen.oneOf(() -> gen.pick(NASTY), () -> gen.string(12)));
            out = m.apply(out);
        }
        return out;
    }
}
