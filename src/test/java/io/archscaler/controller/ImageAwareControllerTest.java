package io.archscaler.controller;

import io.archscaler.images.FakeRegistry;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The controller reading image platforms from a registry (WireMock on loopback) before planning. */
class ImageAwareControllerTest {
    private static final String IMAGES = "images: {resolve: true, evictMisplaced: true}";

    @Test
    void aPodWithNoArchConstraintWhoseImageIsAmd64OnlyGetsAnAmd64Node() throws Exception {
        try (FakeRegistry registry = new FakeRegistry();
             ControllerHarness h = new ControllerHarness(false, "300ms", IMAGES)) {
            registry.amd64Only("acme/legacy", "1.0");
            registry.multiArch("acme/web", "2.0");
            Controller c = h.startController("c0");
            h.createPods("legacy", 2, "500m", Map.of(), registry.host() + "/acme/legacy:1.0");
            h.createPods("web", 2, "500m", Map.of(), registry.host() + "/acme/web:2.0");
            h.closeBatch(c, 4);

            await().atMost(Duration.ofSeconds(20)).until(() -> h.successfulScaleUps("x86").size() == 1
                    && h.successfulScaleUps("arm").size() == 1);
            assertThat(h.successfulScaleUps("x86").get(0).pods()).containsExactly("default/legacy-0", "default/legacy-1");
            assertThat(h.successfulScaleUps("arm").get(0).pods()).containsExactly("default/web-0", "default/web-1");
            // one lookup per image, not per pod: the second pod of each is served from the cache
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/acme/legacy/manifests/1.0")));
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/acme/web/manifests/2.0")));
        }
    }

    @Test
    void aContainerFailingWithExecFormatErrorOnArm64IsReportedAndEvicted() throws Exception {
        try (FakeRegistry registry = new FakeRegistry();
             ControllerHarness h = new ControllerHarness(false, "300ms", IMAGES)) {
            registry.multiArch("acme/tool", "1.0");
            Controller c = h.startController("c0");
            h.createPods("tool", 1, "500m", Map.of(), registry.host() + "/acme/tool:1.0");
            h.closeBatch(c, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> !h.archOfPods("tool").contains(null));
            assertThat(h.archOfPods("tool")).containsExactly("arm64");

            // the kubelet reports the container's crash
            h.client.pods().inNamespace("default").withName("tool-0").editStatus(p -> {
                p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("c")
                        .withImage(registry.host() + "/acme/tool:1.0").withImageID(registry.host()
                                + "/acme/tool@sha256:" + "a".repeat(64)).withRestartCount(3)
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                        .withMessage("exec /usr/bin/tool: exec format error").endTerminated().endLastState()
                        .build()));
                return p;
            });

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<Event> events = h.client.v1().events().inNamespace("default").list().getItems();
                assertThat(events).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("ExecFormatError");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("tool-0");
                    assertThat(e.getType()).isEqualTo("Warning");
                });
            });
            // evictMisplaced: the pod is evicted so its replacement is planned again
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Pod p = h.client.pods().inNamespace("default").withName("tool-0").get();
                return p == null || p.getMetadata().getDeletionTimestamp() != null;
            });
        }
    }
}
