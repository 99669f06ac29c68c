package io.archscaler.cloud.clusterapi;

import io.archscaler.scaler.model.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterApiConfigTest {

    @Test
    void withoutExplicitNamesEveryResourceIsNamedNamespaceSlashName() {
        ClusterApiConfig config = ClusterApiConfig.allNamespaces();

        assertThat(config.groupNameOf("fleet", "arm")).contains("fleet/arm");
        assertThat(config.resourceKeyOf("fleet/arm")).contains("fleet/arm");
        assertThat(config.resourceKeyOf("arm")).isEmpty();
        assertThat(config.defaultArch()).isEqualTo(Arch.AMD64);
    }

    @Test
    void namespaceLimitsTheResourcesThatAreGroups() {
        ClusterApiConfig config = ClusterApiConfig.inNamespace("fleet");

        assertThat(config.groupNameOf("other", "arm")).isEmpty();
        assertThat(config.resourceKeyOf("other/arm")).isEmpty();
    }

    @Test
    void explicitNamesSelectAndRename() {
        ClusterApiConfig config = ClusterApiConfig.allNamespaces().withGroupNames(Map.of("fleet/arm", "arm-general"));

        assertThat(config.groupNameOf("fleet", "arm")).contains("arm-general");
        assertThat(config.groupNameOf("fleet", "x86")).isEmpty();
        assertThat(config.resourceKeyOf("arm-general")).contains("fleet/arm");
        assertThat(config.resourceKeyOf("fleet/arm")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "arm|must be <namespace>/<name>",
            "fleet/|must be <namespace>/<name>",
            "a/b/c|must be <namespace>/<name>",
            "other/arm|outside the configured namespace fleet",
    })
    void badExplicitNameKeyIsRefusedNamingIt(String key, String why) {
        assertThatThrownBy(() -> new ClusterApiConfig("fleet", Map.of(key, "g"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + key + "\"")
                .hasMessageContaining(why);
    }

    @Test
    void twoResourcesCannotShareAGroupName() {
        assertThatThrownBy(() -> ClusterApiConfig.allNamespaces().withGroupNames(
                new java.util.TreeMap<>(Map.of("fleet/a", "same", "fleet/b", "same"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"same\"").hasMessageContaining("fleet/a").hasMessageContaining("fleet/b");
    }
}
