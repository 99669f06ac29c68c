package io.archscaler.observability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PrometheusRule's groups, extracted to a plain rule file, pass {@code promtool check rules},
 * and each alert fires (with its labels and rendered annotations) and stays quiet as
 * {@code observability/alerts-test.yaml} says, under {@code promtool test rules}.
 */
class AlertRulesPromtoolTest {
    private final Path dir;

    AlertRulesPromtoolTest() throws IOException {
        dir = Files.createTempDirectory("alert-rules");
    }

    @AfterEach
    void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Path rules = AlertRules.writeRuleFile(dir.resolve("rules.yaml"));

        Tools.Result r = Tools.run(List.of(Tools.require("promtool").toString(), "check", "rules", rules.toString()),
                null, 60);

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + AlertRules.rules().size() + " rules found");
    }

    @Test
    void alertsFireAndStayQuietAsTheirUnitTestsSay() throws Exception {
        Path rules = AlertRules.writeRuleFile(dir.resolve("rules.yaml"));
        Path tests = Files.writeString(dir.resolve("alerts-test.yaml"), resource("/observability/alerts-test.yaml")
                .replace("[RULES]", "[\"" + rules + "\"]"));

        Tools.Result r = Tools.run(List.of(Tools.require("promtool").toString(), "test", "rules", tests.toString()),
                null, 60);

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void theUnitTestsCoverTheAlertsTheIssueAsksFor() throws Exception {
        String tests = resource("/observability/alerts-test.yaml");

        for (String alert : List.of("ArchscalerDown", "ArchscalerNoLeader", "ArchscalerPendingPodsStuck",
                "ArchscalerScaleUpsFailing", "ArchscalerCircuitOpen")) {
            assertThat(AlertRules.rules()).extracting(AlertRules.Rule::alert).contains(alert);
            assertThat(tests).contains("alertname: " + alert);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AlertRulesPromtoolTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
