package io.archscaler.reliability;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Renders RELIABILITY.md from the results the tests wrote ({@link ReliabilityLog}): the prose in
 * {@code reliability/head.md} and {@code reliability/tail.md} around a table of faults and a table
 * of bad inputs. Run as a program to render into another file:
 * {@code java ... io.archscaler.reliability.ReliabilityTable src/target/reliability RELIABILITY.md}.
 */
public final class ReliabilityTable {
    private ReliabilityTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ReliabilityTable RESULTS_DIR OUTPUT_FILE");
            System.exit(2);
        }
        render(Path.of(args[0]), Path.of(args[1]));
        System.out.println("wrote " + args[1]);
    }

    static void render(Path results, Path output) throws IOException {
        List<ReliabilityLog.Fault> faults = new ArrayList<>();
        List<ReliabilityLog.BadInput> inputs = new ArrayList<>();
        List<ReliabilityLog.Check> checks = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonObject o = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
                if ("fault".equals(o.getString("kind"))) {
                    faults.add(ReliabilityLog.Fault.fromJson(o));
                } else if ("input".equals(o.getString("kind"))) {
                    inputs.add(ReliabilityLog.BadInput.fromJson(o));
                } else if ("check".equals(o.getString("kind"))) {
                    checks.add(ReliabilityLog.Check.fromJson(o));
                }
            }
        }
        faults.sort(Comparator.comparing(ReliabilityLog.Fault::id));
        inputs.sort(Comparator.comparing(ReliabilityLog.BadInput::id));
        checks.sort(Comparator.comparing(ReliabilityLog.Check::id));
        Files.writeString(output, markdown(faults, inputs, checks), StandardCharsets.UTF_8);
    }

    static String markdown(List<ReliabilityLog.Fault> faults, List<ReliabilityLog.BadInput> inputs,
                           List<ReliabilityLog.Check> checks) {
        StringBuilder md = new StringBuilder(resource("head.md"));
        long events = faults.stream().mapToLong(ReliabilityLog.Fault::eventsIn).sum();
        long decisions = faults.stream().mapToLong(ReliabilityLog.Fault::decisionsOut).sum();
        long losses = faults.stream().mapToLong(ReliabilityLog.Fault::losses).sum();
        long duplicates = faults.stream().mapToLong(ReliabilityLog.Fault::duplicateScaleUps).sum();
        long absorbed = faults.stream().mapToLong(ReliabilityLog.Fault::duplicateEvents).sum();
        long tries = inputs.stream().mapToLong(ReliabilityLog.BadInput::tries).sum();
        long crashes = inputs.stream().mapToLong(ReliabilityLog.BadInput::crashes).sum();
        md.append("\n## Summary\n\n")
                .append(String.format(Locale.ROOT, "- %d fault scenarios: %d events in, %d decisions out, "
                        + "%d duplicate deliveries absorbed, **%d losses, %d duplicate scale-ups**.%n",
                        faults.size(), events, decisions, absorbed, losses, duplicates))
                .append(String.format(Locale.ROOT, "- %d bad-input families, %d inputs tried: **%d crashes** "
                        + "(anything but the typed error with a message).%n", inputs.size(), tries, crashes))
                .append(String.format(Locale.ROOT, "- %d security checks: **%d findings**.%n", checks.size(),
                        checks.stream().mapToLong(ReliabilityLog.Check::findings).sum()));

        md.append("\n## Faults\n\n")
                .append("| Fault | How it is injected | Events in | Decisions out | Duplicate deliveries absorbed "
                        + "| Duplicate scale-ups | Losses | Observed | Seconds |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n");
        for (ReliabilityLog.Fault f : faults) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %s | %.1f |%n", cell(f.fault()),
                    cell(f.injection()), f.eventsIn(), f.decisionsOut(), f.duplicateEvents(), f.duplicateScaleUps(),
                    f.losses(), cell(f.observed()), f.took().toMillis() / 1000.0));
        }

        md.append("\n## Bad input\n\n")
                .append("| Input | How it is made | Tries | Accepted | Refused with a typed error | Crashes | Observed |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (ReliabilityLog.BadInput b : inputs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %s |%n", cell(b.input()),
                    cell(b.injection()), b.tries(), b.accepted(), b.refused(), b.crashes(), cell(b.observed())));
        }

        md.append("\n## Security\n\n")
                .append("| Check | How | Checked | Findings | Observed |\n")
                .append("| --- | --- | ---: | ---: | --- |\n");
        for (ReliabilityLog.Check c : checks) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s |%n", cell(c.check()), cell(c.how()),
                    c.checked(), c.findings(), cell(c.observed())));
        }
        md.append('\n').append(resource("tail.md"));
        return md.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String resource(String name) {
        try (InputStream in = ReliabilityTable.class.getResourceAsStream("/reliability/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource reliability/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
