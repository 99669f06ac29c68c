package io.archscaler.cli;

import io.archscaler.Main;
import io.archscaler.images.FakeRegistry;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code plan --resolve-images} asks the registry; without the flag plan stays offline. */
class PlanResolveImagesTest {
    private static final String CONFIG = """
            cluster: prod
            nodeGroups:
              - {name: arm-general, provider: simulated, instanceType: m7g.large, maxSize: 5}
              - {name: x86-general, provider: simulated, instanceType: m6i.large, maxSize: 5}
            """;

    @TempDir
    Path dir;

    @Test
    void anAmd64OnlyImageIsPlannedOnAmd64OnlyWhenImagesAreResolved() throws Exception {
        try (FakeRegistry registry = new FakeRegistry()) {
            registry.amd64Only("acme/legacy", "1.0");
            Pod pending = new PodBuilder().withNewMetadata().withNamespace("shop").withName("legacy-0").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage(registry.host() + "/acme/legacy:1.0")
                    .withNewResources().addToRequests("cpu", new Quantity("500m")).endResources().endContainer()
                    .endSpec().withNewStatus().withPhase("Pending").endStatus().build();
            Path state = dir.resolve("state.yaml");
            Files.writeString(state, Serialization.asYaml(new KubernetesListBuilder().addToItems(pending).build()));
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, CONFIG);

            JsonObject offline = plan("plan", "-c", config.toString(), "-s", state.toString(), "-o", "json");
            JsonObject resolved = plan("plan", "-c", config.toString(), "-s", state.toString(), "-o", "json",
                    "--resolve-images");

            assertThat(offline.getJsonArray("scaleUps").getJsonObject(0).getString("nodeGroup")).isEqualTo("arm-general");
            assertThat(resolved.getJsonArray("scaleUps").getJsonObject(0).getString("nodeGroup")).isEqualTo("x86-general");
            assertThat(registry.server.getAllServeEvents()).isNotEmpty();
        }
    }

    private static JsonObject plan(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute(args)).isZero();
        return new JsonObject(out.toString());
    }
}
