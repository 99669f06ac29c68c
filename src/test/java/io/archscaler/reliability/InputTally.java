package io.archscaler.reliability;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what a bad-input property saw (inputs read, inputs refused with the typed error) and
 * writes it to the reliability log, with the shortest refusal messages as examples. A property
 * fails on the first input that raises anything else, so a written tally has no crashes.
 */
public final class InputTally {
    private static final int EXAMPLES = 2;
    private static final int MAX_EXAMPLE = 90;

    private long accepted;
    private long refused;
    /** Refusal messages by length, shortest first, a few kept. */
    private final Map<String, Integer> examples = new TreeMap<>((a, b) -> a.length() != b.length()
            ? Integer.compare(a.length(), b.length()) : a.compareTo(b));

    public void accepted() {
        accepted++;
    }

    public void refused(String message) {
        refused++;
        String m = message == null ? "" : message.replaceAll("\\p{Cntrl}", "?");
        m = m.length() > MAX_EXAMPLE ? m.substring(0, MAX_EXAMPLE) + "…" : m;
        examples.merge(m, 1, Integer::sum);
        while (examples.size() > 20) {
            examples.remove(((TreeMap<String, Integer>) examples).lastKey());
        }
    }

    public long tries() {
        return accepted + refused;
    }

    /** Writes the tally, if the property ran, as one bad-input row. */
    public void write(String id, String input, String injection) {
        if (tries() == 0) {
            return;
        }
        StringBuilder observed = new StringBuilder("refused with a message, e.g. ");
        examples.keySet().stream().limit(EXAMPLES).forEach(m -> observed.append('«').append(m).append("» "));
        ReliabilityLog.write(new ReliabilityLog.BadInput(id, input, injection, tries(), accepted, refused, 0,
                refused == 0 ? "all read" : observed.toString().strip()));
    }
}
