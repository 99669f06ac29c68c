package io.archscaler.e2e;

import io.archscaler.controlplane.CertificateAuthority;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.LoopbackPort;
import io.archscaler.controlplane.PemKeyPair;
import io.archscaler.images.FakeRegistry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The placement webhook as the API server calls it: Archscaler's controller serves
 * {@code /mutate-pods} over TLS with a certificate made here, and the MutatingWebhookConfiguration
 * that {@code deploy/} ships (its rules, failure policy and timeout) points at it with that CA as
 * its caBundle. Pods that the ReplicaSet controller creates for a Deployment get the arch affinity
 * of their images, and the real scheduler then binds them to a node of that arch; with the registry
 * down or hung, or Archscaler itself unreachable, pods are still admitted within the timeout.
 */
@ExtendWith(SharedControlPlane.class)
class PlacementWebhookE2E {
    private static final String NAMESPACE = "webhook-e2e";
    /** A namespace whose webhook points at a port nobody listens on. */
    private static final String UNREACHABLE_NAMESPACE = "webhook-e2e-unreachable";
    /** Keeps other tests' pods off this test's nodes, and this test's pods off theirs. */
    private static final String TAINT = "archscaler.io/e2e";
    private static final String CONFIG = """
            cluster: e2e
            nodeGroups:
              # no room: Archscaler must not add nodes here, the webhook is what is judged
              - {name: x86-webhook, provider: simulated, instanceType: m6i.large, maxSize: 0}
            scaleDown: {enabled: false}
            leaderElection: {enabled: false, namespace: %s}
            images: {resolve: false}
            webhook: {enabled: true, port: %d, certFile: "%s", keyFile: "%s", timeout: 2s}
            """;

    private static KubernetesClient client;
    private static FakeRegistry registry;
    private static ObservedArchscaler archscaler;
    private static int shippedTimeoutSeconds;

    @BeforeAll
    static void start(ControlPlane controlPlane, @TempDir Path dir) throws Exception {
        client = controlPlane.newClient();
        registry = new FakeRegistry();
        registry.amd64Only("team/legacy", "1.0");
        registry.multiArch("team/web", "1.0");
        for (String ns : List.of(NAMESPACE, UNREACHABLE_NAMESPACE)) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
        }
        CertificateAuthority ca = CertificateAuthority.create("webhook-e2e-ca");
        PemKeyPair.Written serving = ca.issueServer("archscaler-webhook", List.of("127.0.0.1")).write(dir, "webhook");
        int port = LoopbackPort.free();
        archscaler = new ObservedArchscaler(controlPlane.newClient(), CONFIG.formatted(NAMESPACE, port,
                serving.certificate(), serving.privateKey()), "archscaler-webhook-e2e");

        String caBundle = ca.certificateBase64();
        shippedTimeoutSeconds = register("archscaler-placement-e2e", NAMESPACE, "https://127.0.0.1:" + port, caBundle);
        register("archscaler-placement-e2e-unreachable", UNREACHABLE_NAMESPACE,
                "https://127.0.0.1:" + LoopbackPort.free(), caBundle);
        E2eNodes.create(client, "webhook-amd64", "amd64", TAINT);
        E2eNodes.create(client, "webhook-arm64", "arm64", TAINT);
        // the API server picks a new webhook configuration up within a moment: wait until a dry run is patched
        await().atMost(Duration.ofSeconds(30)).until(() -> affinityArchs(client.pods().inNamespace(NAMESPACE)
                .resource(pod("probe", registry.host() + "/team/legacy:1.0")).dryRun().create()).equals(List.of("amd64")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            archscaler.close();
            registry.close();
            client.admissionRegistration().v1().mutatingWebhookConfigurations()
                    .withName("archscaler-placement-e2e").delete();
            client.admissionRegistration().v1().mutatingWebhookConfigurations()
                    .withName("archscaler-placement-e2e-unreachable").delete();
            E2eNodes.delete(client, "webhook-amd64", "webhook-arm64");
            client.namespaces().withName(NAMESPACE).delete();
            client.namespaces().withName(UNREACHABLE_NAMESPACE).delete();
        } finally {
            client.close();
        }
    }

    @Test
    void podsOfADeploymentGetTheArchAffinityOfTheirImagesAndTheSchedulerBindsThemToThatArch() {
        createDeployment(NAMESPACE, "legacy", 2, registry.host() + "/team/legacy:1.0");

        List<Pod> pods = awaitPods(NAMESPACE, "legacy", 2, Duration.ofSeconds(30));

        for (Pod pod : pods) {
            assertThat(affinityArchs(pod)).as(pod.getMetadata().getName()).containsExactly("amd64");
            assertThat(pod.getMetadata().getAnnotations()).containsEntry("archscaler.io/arch-source",
                    "images: " + registry.host() + "/team/legacy:1.0=[amd64]");
        }
        // kube-scheduler binds them to the amd64 node, and kwok runs them there
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pods(NAMESPACE, "legacy"))
                .hasSize(2).allSatisfy(p -> {
                    assertThat(p.getSpec().getNodeName()).isEqualTo("webhook-amd64");
                    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                }));
    }

    @Test
    void podsOfMultiArchImagesAreLeftUnchanged() {
        createDeployment(NAMESPACE, "web", 2, registry.host() + "/team/web:1.0");

        List<Pod> pods = awaitPods(NAMESPACE, "web", 2, Duration.ofSeconds(30));

        assertThat(pods).allSatisfy(p -> {
            assertThat(p.getSpec().getAffinity()).isNull();
            assertThat(p.getMetadata().getAnnotations()).doesNotContainKey("archscaler.io/arch-source");
        });
    }

    @Test
    void withTheRegistryDownADeploymentsPodsAreAdmittedUnchanged() throws Exception {
        String image;
        try (FakeRegistry down = new FakeRegistry()) {
            image = down.host() + "/team/gone:1.0";
        }

        long started = System.nanoTime();
        createDeployment(NAMESPACE, "gone", 2, image);
        List<Pod> pods = awaitPods(NAMESPACE, "gone", 2, Duration.ofSeconds(shippedTimeoutSeconds));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(shippedTimeoutSeconds));
        assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getAffinity()).isNull());
    }

    @Test
    void withTheRegistryHungArchscalerAnswersWithinItsOwnTimeoutAndThePodIsAdmittedUnchanged() throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/team/slow/manifests/1.0"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        double timeoutsBefore = reviews("timeout");

        long started = System.nanoTime();
        Pod created = client.pods().inNamespace(NAMESPACE).resource(pod("slow", registry.host() + "/team/slow:1.0")).create();
        Duration admission = Duration.ofNanos(System.nanoTime() - started);

        // Archscaler's 2 s, not the API server's timeout, answered: the pod is unchanged and counted as a timeout
        assertThat(admission).isGreaterThanOrEqualTo(Duration.ofMillis(1900))
                .isLessThan(Duration.ofSeconds(shippedTimeoutSeconds));
        assertThat(created.getSpec().getAffinity()).isNull();
        assertThat(reviews("timeout")).isEqualTo(timeoutsBefore + 1);
    }

    @Test
    void withArchscalerUnreachableFailurePolicyIgnoreAdmitsADeploymentsPods() {
        long started = System.nanoTime();
        createDeployment(UNREACHABLE_NAMESPACE, "legacy", 2, registry.host() + "/team/legacy:1.0");
        List<Pod> pods = awaitPods(UNREACHABLE_NAMESPACE, "legacy", 2, Duration.ofSeconds(shippedTimeoutSeconds));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(shippedTimeoutSeconds));
        assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getAffinity()).isNull());
    }

    /** Registers deploy/'s placement webhook (see {@link E2eWebhooks}); returns its timeoutSeconds. */
    private static int register(String name, String namespace, String url, String caBundle) throws Exception {
        return E2eWebhooks.registerPlacement(client, name, namespace, url, caBundle).getWebhooks().get(0)
                .getTimeoutSeconds();
    }

    private static void createDeployment(String namespace, String name, int replicas, String image) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withSpec(podSpec(image)).endTemplate()
                .endSpec().build()).create();
    }

    private static Pod pod(String name, String image) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withSpec(podSpec(image)).build();
    }

    private static PodSpec podSpec(String image) {
        return new PodSpecBuilder().addNewContainer().withName("app").withImage(image)
                .withNewResources().addToRequests("cpu", new Quantity("100m")).endResources()
                .endContainer()
                .addNewToleration().withKey(TAINT).withOperator("Exists").withEffect("NoSchedule").endToleration()
                .build();
    }

    private static List<Pod> pods(String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
    }

    private static List<Pod> awaitPods(String namespace, String app, int count, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> pods(namespace, app).size() == count);
        return pods(namespace, app);
    }

    /** The archs a pod's required node affinity allows, empty when it has none. */
    private static List<String> affinityArchs(Pod pod) {
        if (pod.getSpec().getAffinity() == null || pod.getSpec().getAffinity().getNodeAffinity() == null
                || pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().stream().flatMap(t -> t.getMatchExpressions().stream())
                .filter(e -> "kubernetes.io/arch".equals(e.getKey()) && "In".equals(e.getOperator()))
                .flatMap(e -> e.getValues().stream()).toList();
    }

    /** {@code archscaler_webhook_reviews_total} for one outcome, as Archscaler's /metrics reports it. */
    private static double reviews(String outcome) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + archscaler.httpPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String prefix = "archscaler_webhook_reviews_total{outcome=\"" + outcome + "\"";
        return r.body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
