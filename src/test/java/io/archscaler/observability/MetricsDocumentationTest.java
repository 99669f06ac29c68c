package io.archscaler.observability;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.metrics.MetricNames;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's metrics section lists every archscaler_* family the application exports, with its type and labels, and nothing else. */
class MetricsDocumentationTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(archscaler_[a-z0-9_]+)` \\| (\\w+) \\| ([^|]*) \\| (.+) \\|$");
    private static final Pattern LABEL = Pattern.compile("`([a-z_]+)`");

    @Test
    void theMetricsTableMatchesWhatTheApplicationExports() {
        Map<String, AllMeters.Family> documented = documented();
        Map<String, AllMeters.Family> exported;
        try (ArchscalerMetrics m = AllMeters.exercised()) {
            exported = AllMeters.families(m.scrape(), MetricNames.PREFIX);
        }

        assertThat(documented.keySet()).as("documented families").isEqualTo(exported.keySet());
        for (AllMeters.Family e : exported.values()) {
            assertThat(documented.get(e.name())).as(e.name()).isEqualTo(e);
        }
    }

    private static Map<String, AllMeters.Family> documented() {
        Map<String, AllMeters.Family> out = new TreeMap<>();
        for (String line : RepoFiles.read(RepoFiles.root().resolve("README.md")).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Set<String> labels = new TreeSet<>();
            Matcher l = LABEL.matcher(m.group(3));
            while (l.find()) {
                labels.add(l.group(1));
            }
            assertThat(m.group(4).trim()).as("meaning of " + m.group(1)).isNotBlank();
            AllMeters.Family previous = out.put(m.group(1), new AllMeters.Family(m.group(1), m.group(2), labels));
            assertThat(previous).as(m.group(1) + " documented twice").isNull();
        }
        return out;
    }
}
