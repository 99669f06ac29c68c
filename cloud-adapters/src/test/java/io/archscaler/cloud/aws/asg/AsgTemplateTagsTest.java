package io.archscaler.cloud.aws.asg;

import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsgTemplateTagsTest {
    private static final String T = "k8s.io/cluster-autoscaler/node-template/";

    private static TagDescription tag(String key, String value) {
        return TagDescription.builder().key(key).value(value).build();
    }

    @Test
    void labelsTaintsAndResourcesAreReadFromTheirTagsAndOtherTagsIgnored() {
        AsgTemplateTags tags = AsgTemplateTags.parse(List.of(
                tag("k8s.io/cluster-autoscaler/enabled", "true"),
                tag("Name", "workers"),
                tag(T + "label/workload", "batch"),
                tag(T + "label/topology.kubernetes.io/zone", "us-west-2a"),
                tag(T + "taint/dedicated", "batch:NoSchedule"),
                tag(T + "taint/url", "http://x:8080:PreferNoSchedule"),
                tag(T + "taint/empty", ":NoExecute"),
                tag(T + "resources/ephemeral-storage", "100Gi")));

        assertThat(tags.labels()).isEqualTo(Map.of("workload", "batch", "topology.kubernetes.io/zone", "us-west-2a"));
        assertThat(tags.taints()).containsExactlyInAnyOrder(
                new Taint("dedicated", "batch", TaintEffect.NO_SCHEDULE),
                new Taint("url", "http://x:8080", TaintEffect.PREFER_NO_SCHEDULE),
                new Taint("empty", "", TaintEffect.NO_EXECUTE));
        assertThat(tags.resources()).isEqualTo(Map.of("ephemeral-storage", "100Gi"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource({"NoSchedule, expected \"value:Effect\"", "true:NeverSchedule, unknown taint effect \"NeverSchedule\""})
    void aMalformedTaintTagIsRefusedNamingTheTag(String value, String message) {
        assertThatThrownBy(() -> AsgTemplateTags.parse(List.of(tag(T + "taint/dedicated", value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(T + "taint/dedicated")
                .hasMessageContaining(message);
    }

    @Test
    void aBadQuantityIsRefusedNamingTheResource() {
        assertThatThrownBy(() -> AsgTemplateTags.parse(List.of(tag(T + "resources/memory", "lots"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag " + T + "resources/memory: invalid quantity \"lots\"");
    }

    @Test
    void resourceTagsReplaceOnlyTheAmountsTheyName() {
        AsgTemplateTags tags = AsgTemplateTags.parse(List.of(
                tag(T + "resources/memory", "6Gi"), tag(T + "resources/nvidia.com/gpu", "2")));
        Resources base = new Resources(1930, 7L << 30, 18L << 30, 29, Map.of("example.com/fpga", 1L));

        assertThat(tags.applyTo(base)).isEqualTo(new Resources(1930, 6L << 30, 18L << 30, 29,
                Map.of("example.com/fpga", 1L, "nvidia.com/gpu", 2L)));
    }
}
