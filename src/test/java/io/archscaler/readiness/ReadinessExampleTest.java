package io.archscaler.readiness;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checked-in example reports are what the command prints now for the example snapshot, offline
 * ({@code --no-resolve}), so they cannot go stale. When they differ, the fresh report is written to
 * {@code src/target/readiness-example/} to be read and copied over.
 */
class ReadinessExampleTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"table, report.txt", "json, report.json", "html, report.html"})
    void theCheckedInReportIsCurrent(String format, String file) throws IOException {
        ReadinessRun run = ReadinessRun.of("--config", EXAMPLES.resolve("config.yaml").toString(),
                "--state", EXAMPLES.resolve("readiness/snapshot.yaml").toString(), "--no-resolve", "--output", format);
        assertThat(run.exitCode()).as(run.err()).isZero();

        Path checkedIn = EXAMPLES.resolve("readiness").resolve(file);
        String expected = Files.exists(checkedIn) ? Files.readString(checkedIn) : "";
        if (!expected.equals(run.out())) {
            Path fresh = Path.of("target", "readiness-example", file);
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, run.out());
        }
        assertThat(run.out()).as("examples/readiness/%s is stale: the fresh report is in src/target/readiness-example/%s",
                file, file).isEqualTo(expected);
    }
}
