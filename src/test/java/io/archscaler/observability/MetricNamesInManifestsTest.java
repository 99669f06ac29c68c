package io.archscaler.observability;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.metrics.MetricNames;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Dashboards, alerts and adapter rules name only metrics the application exports. */
class MetricNamesInManifestsTest {
    private static final Pattern NAME = Pattern.compile("archscaler_[a-z0-9_]*[a-z0-9]");
    private static final List<String> MICROMETER_SUFFIXES = List.of("", "_total", "_seconds", "_max", "_seconds_max");

    @Test
    void everyArchscalerMetricNamedInGrafanaAndDeployIsExported() {
        Set<String> exported = exportedSampleNames();
        Map<String, Set<Path>> used = new TreeMap<>();
        for (Path dir : List.of(RepoFiles.grafana(), RepoFiles.deploy())) {
            for (Path file : RepoFiles.files(dir)) {
                Matcher m = NAME.matcher(RepoFiles.read(file));
                while (m.find()) {
                    used.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(RepoFiles.root().relativize(file));
                }
            }
        }

        assertThat(used.keySet()).as("archscaler_* names in grafana/ and deploy/").hasSizeGreaterThan(15);
        Map<String, Set<Path>> unknown = new TreeMap<>(used);
        unknown.keySet().removeAll(exported);
        assertThat(unknown).as("names used but not exported (name -> files)").isEmpty();
    }

    @Test
    void everyExportedFamilyComesFromAConstantOfMetricNames() {
        Set<String> constants = metricNameConstants();
        try (ArchscalerMetrics m = AllMeters.exercised()) {
            Set<String> families = AllMeters.families(m.scrape(), MetricNames.PREFIX).keySet();
            for (String family : families) {
                assertThat(MICROMETER_SUFFIXES.stream().anyMatch(s -> family.endsWith(s)
                        && constants.contains(family.substring(0, family.length() - s.length()))))
                        .as(family + " is a MetricNames constant plus a Micrometer suffix").isTrue();
            }
            // and the exercise covers every constant, so the other checks see every meter
            for (String constant : constants) {
                assertThat(MICROMETER_SUFFIXES.stream().anyMatch(s -> families.contains(constant + s)))
                        .as(constant + " is exported").isTrue();
            }
        }
    }

    /** Every sample name the application can show: families with their _bucket/_count/_sum series. */
    static Set<String> exportedSampleNames() {
        Set<String> out = new TreeSet<>();
        try (ArchscalerMetrics m = AllMeters.exercised()) {
            AllMeters.families(m.scrape(), MetricNames.PREFIX).values().forEach(f -> out.addAll(AllMeters.sampleNames(f)));
        }
        return out;
    }

    /** The metric names of {@link MetricNames} (its public String constants that start with the prefix). */
    static Set<String> metricNameConstants() {
        Set<String> out = new TreeSet<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    String value = (String) f.get(null);
                    if (value.startsWith(MetricNames.PREFIX) && !value.equals(MetricNames.PREFIX)) {
                        out.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(f.getName(), e);
                }
            }
        }
        return out;
    }
}
