package io.archscaler.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KwokConfigTest {
    /** The shape of kwokctl's stages as tools/control-plane/install writes them (documents after "---" lines). */
    private static final String INSTALLED = """
            ---
            apiVersion: kwok.x-k8s.io/v1alpha1
            kind: Stage
            metadata:
              name: node-initialize
            spec:
              resourceRef: {apiGroup: v1, kind: Node}
              next:
                statusTemplate: |
                  phase: Running
            ---
            apiVersion: kwok.x-k8s.io/v1alpha1
            kind: Stage
            metadata:
              name: node-heartbeat
            spec:
              resourceRef: {apiGroup: v1, kind: Node}
              delay: {durationMilliseconds: 20000, jitterDurationMilliseconds: 25000}
            ---
            apiVersion: kwok.x-k8s.io/v1alpha1
            kind: Stage
            metadata:
              name: pod-ready
            spec:
              resourceRef: {apiGroup: v1, kind: Pod}
            ---
            apiVersion: kwok.x-k8s.io/v1alpha1
            kind: Stage
            metadata:
              name: pod-delete
            spec:
              resourceRef: {apiGroup: v1, kind: Pod}
              next: {delete: true}
            """;

    @Test
    void nodesHeartbeatByLeaseAndReportTheirStatusEveryFiveMinutes() throws IOException {
        Map<String, JsonNode> stages = parse(KwokConfig.file(INSTALLED));

        assertThat(stages).containsOnlyKeys("KwokConfiguration", "node-initialize", "pod-delete", "node-heartbeat-with-lease", "pod-ready",
                "archscaler-node-adopt");
        JsonNode delay = stages.get("node-heartbeat-with-lease").at("/spec/delay");
        assertThat(delay.get("durationMilliseconds").asLong()).isEqualTo(300_000);
        assertThat(delay.get("jitterDurationMilliseconds").asLong()).isEqualTo(330_000);
        List<String> command = KwokConfig.command(new ControlPlaneBinaries(Path.of("/bin-dir")), Path.of("/kc"), Path.of("/kwok.yaml"));
        assertThat(command).contains("--node-lease-duration-seconds=40", "--v=WARN", "--config=/kwok.yaml");
    }

    @Test
    void kwokIsGivenEveryOptionAtItsDefaultButMoreWorkers() throws IOException {
        JsonNode options = parse(KwokConfig.file(INSTALLED)).get("KwokConfiguration").get("options");

        assertThat(options.get("nodeLeaseParallelism").asInt()).isEqualTo(64);
        assertThat(options.get("podPlayStageParallelism").asInt()).isEqualTo(16);
        assertThat(options.get("nodePlayStageParallelism").asInt()).isEqualTo(16);
        // kwok 0.8.0 leaves an option this document does not name at zero: each one its
        // SetObjectDefaults_KwokConfiguration sets must be here, at that default where not raised
        assertThat(options.get("podsOnNodeSyncParallelism").asInt()).isEqualTo(1);
        assertThat(options.get("cidr").asText()).isEqualTo("10.0.0.0/24");
        assertThat(options.get("enablePodsOnNodeSyncListPager").asBoolean()).isTrue();
        assertThat(options.get("enableDebuggingHandlers").asBoolean()).isTrue();
        assertThat(options.get("enableProfilingHandler").asBoolean()).isTrue();
        assertThat(options.get("enableContentionProfiling").asBoolean()).isFalse();
        assertThat(options.get("enablePodsOnNodeSyncStreamWatch").asBoolean()).isFalse();
        assertThat(options.get("manageAllNodes").asBoolean()).isFalse();
    }

    @Test
    void kwokctlsOtherStagesAreKeptAsInstalled() throws IOException {
        Map<String, JsonNode> stages = parse(KwokConfig.file(INSTALLED));

        assertThat(stages.get("node-initialize").at("/spec/next/statusTemplate").asText()).isEqualTo("phase: Running\n");
        assertThat(stages.get("pod-delete").at("/spec/next/delete").asBoolean()).isTrue();
    }

    @Test
    void podReadyPatchesOnlyThePodItWasRenderedFromAndKeepsAnIpOnceGiven() throws IOException {
        JsonNode patch = parse(KwokConfig.file(INSTALLED)).get("pod-ready").at("/spec/next/patches/0");

        assertThat(patch.get("subresource").asText()).isEqualTo("status");
        assertThat(patch.get("type").asText()).isEqualTo("strategic");
        String template = patch.get("template").asText();
        // the resourceVersion makes a patch rendered from a stale Pod a 409, which kwok drops
        assertThat(template).contains("resourceVersion: {{ .metadata.resourceVersion | Quote }}");
        // a new IP is taken from kwok's pool only when the Pod has none
        assertThat(template.indexOf("{{ if .status.podIP }}")).isPositive().isLessThan(template.indexOf("PodIPsWith"));
        assertThat(template).contains("podIP: {{ .status.podIP | Quote }}");
    }

    @Test
    void aKwokWithoutAStageWeReplaceIsAnErrorNamingIt() {
        String withoutPodReady = INSTALLED.replace("name: pod-ready", "name: pod-ready-v2");

        assertThatThrownBy(() -> KwokConfig.file(withoutPodReady)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'pod-ready'").hasMessageContaining("pod-ready-v2");
    }

    private static Map<String, JsonNode> parse(String yaml) throws IOException {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    // a Stage by its name, kwok's one KwokConfiguration by its kind
                    byName.put(doc.has("metadata") ? doc.at("/metadata/name").asText() : doc.get("kind").asText(), doc);
                }
            }
        }
        return byName;
    }
}
