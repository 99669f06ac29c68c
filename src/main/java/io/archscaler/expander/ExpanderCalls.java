package io.archscaler.expander;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last gRPC expander calls, one line each, for {@code /status}; safe to use from any thread. */
public final class ExpanderCalls {
    /** How many calls {@code /status} shows. */
    public static final int KEPT = 20;

    private final Deque<String> lines = new ArrayDeque<>();

    synchronized void add(String line) {
        if (lines.size() == KEPT) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** {@code {"lastCalls": [newest last]}}. */
    public synchronized JsonObject toJson() {
        return new JsonObject().put("lastCalls", new JsonArray(lines.stream().map(Object.class::cast).toList()));
    }
}
