package io.archscaler.readiness;

import io.archscaler.scaler.readiness.Amount;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The HTML report of the example snapshot, loaded in headless Chromium (Debian's {@code chromium},
 * named by {@code -Darchscaler.chromium} or found on PATH): the numbers read from the DOM Chromium
 * rendered (totals, and each namespace's bar labels and bar widths in the chart) are those of the
 * JSON report of the same snapshot. Chromium gets no network: the page must stand alone.
 */
class ReadinessHtmlChromiumIT {
    static final String PROPERTY = "archscaler.chromium";
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    @Test
    void theRenderedPageShowsTheNumbersOfTheJsonReport() throws Exception {
        String[] args = {"--config", EXAMPLES.resolve("config.yaml").toString(),
                "--state", EXAMPLES.resolve("readiness/snapshot.yaml").toString(), "--no-resolve"};
        JsonObject json = new JsonObject(run(args, "json"));
        Path page = dir.resolve("readiness.html");
        Files.writeString(page, run(args, "html"));

        String dom = dumpDom(page);

        JsonObject totals = json.getJsonObject("totals");
        assertThat(text(dom, "id=\"total-saving\"")).isEqualTo(Amount.dollars(totals.getDouble("savingPerMonth")));
        assertThat(text(dom, "id=\"total-forgone\"")).isEqualTo(Amount.dollars(totals.getDouble("forgonePerMonth")));
        assertThat(text(dom, "id=\"total-at-stake\"")).isEqualTo(Amount.dollars(totals.getDouble("atStakePerMonth")));
        for (String verdict : List.of("ready", "blocked", "unknown")) {
            assertThat(text(dom, "id=\"count-" + verdict + "\"")).isEqualTo(
                    Integer.toString(totals.getJsonObject("workloads").getInteger(verdict)));
        }

        Map<String, Map<String, Double>> chart = chart(dom);
        Map<String, Map<String, Double>> expected = new LinkedHashMap<>();
        double max = 0;
        for (Object o : json.getJsonArray("namespaces")) {
            JsonObject ns = (JsonObject) o;
            expected.put(ns.getString("namespace"), Map.of("saving", ns.getDouble("savingPerMonth"),
                    "forgone", ns.getDouble("forgonePerMonth"), "at-stake", ns.getDouble("atStakePerMonth")));
            max = Math.max(max, Math.max(ns.getDouble("savingPerMonth"),
                    Math.max(ns.getDouble("forgonePerMonth"), ns.getDouble("atStakePerMonth"))));
        }
        assertThat(chart.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, Map<String, Double>> e : expected.entrySet()) {
            for (String series : List.of("saving", "forgone", "at-stake")) {
                double value = e.getValue().get(series);
                assertThat(chart.get(e.getKey()).get(series + " label")).as(e.getKey() + " " + series)
                        .isEqualTo(value, within(0.001));
                // bars are drawn to scale: the largest value of the chart is BAR_WIDTH wide
                assertThat(chart.get(e.getKey()).get(series + " width")).as(e.getKey() + " " + series + " bar")
                        .isCloseTo(value / max * ReadinessHtml.BAR_WIDTH, within(0.5));
            }
        }
        assertThat(dom.indexOf("id=\"blocked-images\"")).as("blocked images come before the workloads")
                .isLessThan(dom.indexOf("id=\"workloads\""));
    }

    private static String run(String[] args, String format) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--output";
        all[args.length + 1] = format;
        ReadinessRun run = ReadinessRun.of(all);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }

    /** The DOM after Chromium loaded (and would have run any script of) the page. */
    private String dumpDom(Path page) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        List<String> command = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString()));
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
        }
        String dom = Files.readString(out);
        assertThat(p.exitValue()).as("chromium: " + Files.readString(err)).isZero();
        assertThat(dom).as("chromium printed no DOM: " + Files.readString(err)).contains("id=\"savings-chart\"");
        return dom;
    }

    /** The configured chromium, else the one on PATH; a missing one fails the test, saying how to install it. */
    static Path chromium() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            if (!Files.isExecutable(p)) {
                throw new AssertionError("-D" + PROPERTY + "=" + configured + " is not an executable file");
            }
            return p;
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d, "chromium");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("chromium is not installed: apt-get install -y chromium (as root; tools/test does it)"
                + " and pass its path as -D" + PROPERTY + "=/usr/bin/chromium");
    }

    /** The text of the element whose start tag carries this attribute. */
    private static String text(String dom, String attribute) {
        Matcher m = Pattern.compile("<[a-z]+ " + Pattern.quote(attribute) + "[^>]*>([^<]*)<").matcher(dom);
        assertThat(m.find()).as("an element with " + attribute).isTrue();
        return m.group(1);
    }

    /** namespace → "saving label", "saving width", … as the chart's groups, bars and labels say. */
    private static Map<String, Map<String, Double>> chart(String dom) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Matcher group = Pattern.compile("<g class=\"namespace\" data-namespace=\"([^\"]+)\">(.*?)</g>", Pattern.DOTALL).matcher(dom);
        while (group.find()) {
            Map<String, Double> values = new LinkedHashMap<>();
            Matcher bar = Pattern.compile("<rect class=\"bar ([a-z-]+)\"[^>]*width=\"([0-9.]+)\"").matcher(group.group(2));
            while (bar.find()) {
                values.put(bar.group(1) + " width", Double.parseDouble(bar.group(2)));
            }
            Matcher label = Pattern.compile("<text class=\"value ([a-z-]+)\"[^>]*>(-?)\\$([0-9,.]+)</text>").matcher(group.group(2));
            while (label.find()) {
                double v = Double.parseDouble(label.group(3).replace(",", ""));
                values.put(label.group(1) + " label", label.group(2).isEmpty() ? v : -v);
            }
            out.put(group.group(1), values);
        }
        return out;
    }
}
