package io.archscaler.reliability;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the fault and bad-input tests write what they observed, one JSON file per scenario in
 * {@code target/reliability/}; after each write the table is rendered again into
 * {@code target/reliability/RELIABILITY.md}, so the last test of a run leaves the whole table.
 */
public final class ReliabilityLog {
    /** Relative to the module directory, where Maven runs the tests. */
    public static final Path DIRECTORY = Path.of("target", "reliability");

    private ReliabilityLog() {
    }

    /**
     * What one injected fault did to a running controller.
     *
     * @param eventsIn          events the controller was given (records produced, objects changed)
     * @param decisionsOut      successful scale-up decisions the controller made
     * @param duplicateEvents   events delivered more than once (redeliveries, relists) that it absorbed
     * @param duplicateScaleUps nodes asked for twice: pods in more than one scale-up, extra cloud calls
     *                          or a target size above what the pods need
     * @param losses            pods or objects the controller never accounted for
     */
    public record Fault(String id, String fault, String injection, long eventsIn, long decisionsOut,
                        long duplicateEvents, long duplicateScaleUps, long losses, String observed, Duration took) {
        JsonObject toJson() {
            return new JsonObject().put("kind", "fault").put("id", id).put("fault", fault).put("injection", injection)
                    .put("eventsIn", eventsIn).put("decisionsOut", decisionsOut).put("duplicateEvents", duplicateEvents)
                    .put("duplicateScaleUps", duplicateScaleUps).put("losses", losses).put("observed", observed)
                    .put("seconds", took.toMillis() / 1000.0);
        }

        static Fault fromJson(JsonObject o) {
            return new Fault(o.getString("id"), o.getString("fault"), o.getString("injection"), o.getLong("eventsIn"),
                    o.getLong("decisionsOut"), o.getLong("duplicateEvents"), o.getLong("duplicateScaleUps"),
                    o.getLong("losses"), o.getString("observed"), Duration.ofMillis((long) (o.getDouble("seconds") * 1000)));
        }
    }

    /**
     * What one family of bad input did to a parser or to the running controller.
     *
     * @param accepted inputs that were read (they happened to be valid)
     * @param refused  inputs refused with the typed error and a message
     * @param crashes  inputs that raised anything else; the tests fail on the first, so this is 0 when written
     */
    public record BadInput(String id, String input, String injection, long tries, long accepted, long refused,
                           long crashes, String observed) {
        JsonObject toJson() {
            return new JsonObject().put("kind", "input").put("id", id).put("input", input).put("injection", injection)
                    .put("tries", tries).put("accepted", accepted).put("refused", refused).put("crashes", crashes)
                    .put("observed", observed);
        }

        static BadInput fromJson(JsonObject o) {
            return new BadInput(o.getString("id"), o.getString("input"), o.getString("injection"), o.getLong("tries"),
                    o.getLong("accepted"), o.getLong("refused"), o.getLong("crashes"), o.getString("observed"));
        }
    }

    /**
     * One security check: what was looked at, how many things were checked and what was found.
     *
     * @param findings things that broke the rule (a wildcard, a leak, a write that was not refused)
     */
    public record Check(String id, String check, String how, long checked, long findings, String observed) {
        JsonObject toJson() {
            return new JsonObject().put("kind", "check").put("id", id).put("check", check).put("how", how)
                    .put("checked", checked).put("findings", findings).put("observed", observed);
        }

        static Check fromJson(JsonObject o) {
            return new Check(o.getString("id"), o.getString("check"), o.getString("how"), o.getLong("checked"),
                    o.getLong("findings"), o.getString("observed"));
        }
    }

    public static void write(Check check) {
        write("check-" + check.id(), check.toJson());
    }

    public static void write(Fault fault) {
        write("fault-" + fault.id(), fault.toJson());
    }

    public static void write(BadInput input) {
        write("input-" + input.id(), input.toJson());
    }

    private static void write(String name, JsonObject json) {
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(DIRECTORY.resolve(name.toLowerCase(Locale.ROOT) + ".json"), json.encodePrettily(),
                    StandardCharsets.UTF_8);
            ReliabilityTable.render(DIRECTORY, DIRECTORY.resolve("RELIABILITY.md"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reliability results to " + DIRECTORY, e);
        }
    }
}
