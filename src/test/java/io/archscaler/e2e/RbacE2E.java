package io.archscaler.e2e;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controlplane.AuditLog;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.LoopbackPort;
import io.archscaler.controlplane.ServiceAccountIdentity;
import io.archscaler.images.FakeRegistry;
import io.archscaler.observability.Rendered;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.archscaler.e2e.E2eWorkloads.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RBAC, for real: deploy/'s ServiceAccount, ClusterRole, Role and bindings are applied to a real
 * API server, a token for the ServiceAccount comes from the TokenRequest API, and two replicas of
 * Archscaler's controller run out of cluster with that identity only (a kubeconfig with the bearer
 * token) through a whole scenario: pods the kube-scheduler marked Unschedulable trigger a scale-up
 * of the simulated cloud (whose Nodes kwok keeps Ready), the placement webhook pins amd64-only pods
 * to amd64, the leader stops and the other replica takes the Lease over, status ConfigMap and Events
 * are written, and a node is drained under a PodDisruptionBudget and removed. Then the audit log
 * judges deploy/'s RBAC: no request of the ServiceAccount was refused, and every permission was
 * used or docs/deploy.md says why it is kept.
 */
@ExtendWith(SharedControlPlane.class)
class RbacE2E {
    private static final String NAMESPACE = "rbac-e2e";
    private static final String ARCHSCALER_NAMESPACE = "archscaler";
    private static final String SERVICE_ACCOUNT = "archscaler";
    private static final String GROUP = "rbac";
    private static final String TAINT = "archscaler.io/e2e-rbac";
    private static final String ARM64 = "rbac-arm64";
    private static final String AMD64 = "rbac-amd64";
    private static final String WEBHOOK = "archscaler-placement-rbac-e2e";
    private static final String UNUSED_SECTION = "Permissions the end-to-end test does not use";
    /** deploy/'s config, cut down to what a laptop-sized scenario needs: two simulated groups, short timings. */
    private static final String CONFIG = """
            cluster: e2e
            nodeGroups:
              - {name: rbac-arm64, provider: simulated, arch: arm64, maxSize: 4, weight: 100, pricePerHour: 0.08,
                 capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {archscaler.io/e2e-group: rbac},
                 taints: [{key: archscaler.io/e2e-rbac, value: e2e, effect: NoSchedule}],
                 simulated: {registrationDelay: 200ms}}
              - {name: rbac-amd64, provider: simulated, arch: amd64, maxSize: 4, weight: 10, pricePerHour: 0.1,
                 capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {archscaler.io/e2e-group: rbac},
                 taints: [{key: archscaler.io/e2e-rbac, value: e2e, effect: NoSchedule}],
                 simulated: {registrationDelay: 200ms}}
            scaleUp: {batchIdle: 500ms, batchMax: 2s, maxNodeProvisionTime: 1m}
            scaleDown: {enabled: true, utilizationThreshold: 0.5, unneededTime: 2s, delayAfterAdd: 3s,
                        maxGracefulTermination: 30s}
            leaderElection: {enabled: true, namespace: archscaler, leaseName: archscaler, leaseDuration: 4s,
                             renewDeadline: 3s, retryPeriod: 500ms}
            images: {resolve: true}
            webhook: {enabled: true, port: %d, certFile: "%s", keyFile: "%s", timeout: 2s}
            """;

    private static ControlPlane controlPlane;
    private static KubernetesClient admin;
    private static FakeRegistry registry;
    private static ServiceAccountIdentity identity;
    private static List<Map<String, Object>> rendered;
    /** What the ServiceAccount asked the API server during the scenario. */
    private static List<AuditLog.Request> requests;

    @BeforeAll
    static void runTheScenarioAsDeploysServiceAccount(ControlPlane cp, @TempDir Path dir) throws Exception {
        controlPlane = cp;
        admin = cp.newClient();
        registry = new FakeRegistry();
        long started = System.nanoTime();
        rendered = Rendered.of("deploy");
        applyDeploysRbac();
        identity = ServiceAccountIdentity.issue(cp, admin, ARCHSCALER_NAMESPACE, SERVICE_ACCOUNT, Duration.ofHours(1), dir);
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
        String legacy = registry.host() + "/team/legacy:1.0";
        String web = registry.host() + "/team/web:1.0";
        registry.amd64Only("team/legacy", "1.0");
        registry.multiArch("team/web", "1.0");

        E2eWebhooks.Serving serving = E2eWebhooks.Serving.create(dir, "archscaler-rbac-webhook");
        int[] webhookPorts = {LoopbackPort.free(), LoopbackPort.free()};
        ScheduledExecutorService cloudThreads = Executors.newScheduledThreadPool(2);
        // the simulated cloud registers and removes Nodes with its own credentials, as a kubelet and a cloud would
        try (KubernetesClient cloudClient = cp.newClient();
             ProviderSet cloud = new ProviderFactory(cloudClient, cloudThreads, 1.0).build(config(webhookPorts[0], serving))) {
            List<ArchscalerReplica> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    replicas.add(new ArchscalerReplica(config(webhookPorts[i], serving), cloud, identity.newClient(),
                            "archscaler-e2e-" + i));
                }
                step("RBAC applied, token issued, two replicas synced", started);
                scenario(replicas, webhookPorts, serving, legacy, web);
            } finally {
                for (ArchscalerReplica r : replicas) {
                    r.close();
                }
                cloudThreads.shutdownNow();
            }
        }
        step("whole scenario", started);
        // the log is written before each answer (blocking mode); a watch counts from its ResponseStarted line
        requests = AuditLog.by(cp.auditLog(), identity.username());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (admin == null) {
            return;
        }
        try {
            admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(WEBHOOK).delete();
            admin.namespaces().withName(NAMESPACE).delete();
            admin.nodes().withLabel(E2eWorkloads.GROUP_LABEL, GROUP).delete();
            registry.close();
        } finally {
            admin.close();
        }
    }

    @Test
    void noRequestOfTheServiceAccountWasRefused() {
        List<AuditLog.Request> refused = requests.stream().filter(r -> r.code() == 403).toList();

        System.out.printf("RbacE2E: %d requests by %s, %d answered 403%n", requests.size(), identity.username(),
                refused.size());
        assertThat(requests).as("the scenario's requests").hasSizeGreaterThan(50);
        assertThat(refused).as("requests of " + identity.username() + " refused by RBAC").isEmpty();
    }

    @Test
    void everyResourceRequestOfTheServiceAccountIsAllowedByARuleOfDeploy() {
        List<RbacRules.Permission> permissions = RbacRules.of(rendered, List.of("ClusterRole", "Role"));

        // non-resource requests (discovery, /version) are every authenticated user's by the default policy
        List<AuditLog.Request> beyondDeploy = requests.stream()
                .filter(r -> r.resource() != null && permissions.stream().noneMatch(p -> p.allows(r))).toList();

        assertThat(beyondDeploy).as("requests no rule of deploy/ allows").isEmpty();
    }

    @Test
    void everyPermissionOfTheClusterRoleAndRoleWasUsedOrDocsDeploySaysWhyItIsKept() throws Exception {
        Map<RbacRules.Permission, Integer> uses = RbacRules.uses(RbacRules.of(rendered, List.of("ClusterRole", "Role")),
                requests);
        System.out.println("RbacE2E: deploy/'s permissions and how many of the ServiceAccount's requests each allowed\n"
                + RbacRules.table(uses));
        String docs = unusedPermissionsSection(Files.readString(docsDeploy()));

        List<String> unexplained = uses.entrySet().stream().filter(e -> e.getValue() == 0)
                .map(e -> e.getKey().key()).filter(key -> !docs.contains("`" + key + "`")).toList();

        assertThat(unexplained).as("permissions the scenario never used and docs/deploy.md does not explain"
                + " (write `<permission>` and why it is kept under \"" + UNUSED_SECTION + "\")")
                .isEmpty();
    }

    private static void scenario(List<ArchscalerReplica> replicas, int[] webhookPorts, E2eWebhooks.Serving serving,
                                 String legacyImage, String webImage) throws Exception {
        long started = System.nanoTime();
        String leader = awaitLeaseHolder(Set.of(replicas.get(0).identity(), replicas.get(1).identity()));
        int leaderIndex = replicas.get(0).identity().equals(leader) ? 0 : 1;
        ArchscalerReplica follower = replicas.get(1 - leaderIndex);
        step("leader elected: " + leader, started);

        // the follower serves the webhook too (the Service spreads reviews over both pods): point the API server at it
        E2eWebhooks.registerPlacement(admin, WEBHOOK, NAMESPACE, "https://127.0.0.1:" + webhookPorts[1 - leaderIndex],
                serving.caBundle());
        await().atMost(Duration.ofSeconds(30)).until(() -> isPinnedToAmd64(admin.pods().inNamespace(NAMESPACE)
                .resource(new PodBuilder().withNewMetadata().withName("probe").endMetadata().withNewSpec().addNewContainer()
                        .withName("app").withImage(legacyImage).endContainer().endSpec().build()).dryRun().create()));
        await().atMost(Duration.ofSeconds(30)).until(() -> statusConfigMap() != null
                && statusConfigMap().getData().get("status").contains(ARM64));
        step("placement webhook answers; status ConfigMap written by the leader", started);

        // scale-up: 2 amd64-only pods of 1.5 cpu need one amd64 node; 5 arm64 ones need three arm64 nodes (2 a node).
        // web asks for arm64 itself: a multi-arch pod left free would let the scheduler take the amd64 node's room
        // before the second legacy pod, and the scenario would need a fifth node
        Deployment webDeployment = E2eWorkloads.deployment("web", 5, webImage, "1500m", GROUP, TAINT);
        webDeployment.getSpec().getTemplate().getSpec().getNodeSelector().put("kubernetes.io/arch", "arm64");
        admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).resource(E2eWorkloads.budget("web", 3)).create();
        admin.apps().deployments().inNamespace(NAMESPACE)
                .resource(E2eWorkloads.deployment("legacy", 2, legacyImage, "1500m", GROUP, TAINT)).create();
        admin.apps().deployments().inNamespace(NAMESPACE).resource(webDeployment).create();
        Set<String> seenUnschedulable = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Pod> all = admin.pods().inNamespace(NAMESPACE).list().getItems();
            all.stream().filter(E2eWorkloads::markedUnschedulable).forEach(p -> seenUnschedulable.add(p.getMetadata().getName()));
            return all.size() == 7 && all.stream().allMatch(E2eWorkloads::available);
        });
        step("scale-up: 7 pods Running", started);
        assertThat(seenUnschedulable).as("pods the kube-scheduler marked Unschedulable before Archscaler's nodes came")
                .hasSize(7);
        assertThat(E2eWorkloads.nodesOf(admin, AMD64)).hasSize(1);
        assertThat(E2eWorkloads.nodesOf(admin, ARM64)).hasSize(3);
        assertThat(pods(admin, NAMESPACE, "legacy")).allSatisfy(p -> {
            assertThat(isPinnedToAmd64(p)).as("webhook's affinity on " + p.getMetadata().getName()).isTrue();
            assertThat(p.getSpec().getNodeName()).startsWith(AMD64);
        });
        assertThat(pods(admin, NAMESPACE, "web")).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).startsWith(ARM64));

        // the leader goes away (a rolling update, a node drained): it releases the Lease and the other replica acts on
        Instant handover = Instant.now();
        replicas.remove(leaderIndex).close();
        assertThat(awaitLeaseHolder(Set.of(follower.identity()))).isEqualTo(follower.identity());
        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.parse(statusConfigMap().getData().get("lastUpdated"))
                .isAfter(handover));
        step("handover to " + follower.identity() + ", which wrote the status ConfigMap", started);

        // scale-down: one web pod fewer leaves two arm64 nodes with one pod each; one of them is drained and removed
        admin.apps().deployments().inNamespace(NAMESPACE).withName("web").scale(4);
        await().atMost(Duration.ofSeconds(60)).until(() -> E2eWorkloads.nodesOf(admin, ARM64).size() == 2
                && pods(admin, NAMESPACE, "web").size() == 4 && pods(admin, NAMESPACE, "web").stream()
                .allMatch(E2eWorkloads::available));
        step("scale-down: an arm64 node drained and removed", started);
        Set<String> left = new HashSet<>(E2eWorkloads.nodesOf(admin, ARM64).stream().map(n -> n.getMetadata().getName()).toList());
        assertThat(pods(admin, NAMESPACE, "web")).allSatisfy(p -> assertThat(left).contains(p.getSpec().getNodeName()));

        List<AuditLog.Request> evictions = AuditLog.by(controlPlane.auditLog(), identity.username()).stream()
                .filter(r -> "pods/eviction".equals(r.resourcePath()) && NAMESPACE.equals(r.namespace())).toList();
        assertThat(evictions).as("the drain's evictions, which the API server checked against the budget of web")
                .singleElement().satisfies(r -> assertThat(r.code()).isEqualTo(201));

        List<Event> podEvents = admin.v1().events().inNamespace(NAMESPACE).list().getItems();
        assertThat(podEvents).as("Archscaler's Events on the pods").anySatisfy(e -> assertThat(e.getReason()).isEqualTo("TriggeredScaleUp"))
                .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("deleting pod for node scale down"));
        List<Event> nodeEvents = admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().startsWith(ARM64)).toList();
        assertThat(nodeEvents).as("Archscaler's Events on the removed node")
                .anySatisfy(e -> assertThat(e.getMessage()).startsWith("node removed by archscaler"));
    }

    /** Applies the Namespace, ServiceAccount, ClusterRole, Role and bindings deploy/ renders, and clears what earlier runs left. */
    private static void applyDeploysRbac() {
        for (String kind : List.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")) {
            for (Map<String, Object> object : rendered.stream().filter(o -> kind.equals(o.get("kind"))).toList()) {
                admin.resource(admin.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class))
                        .fieldManager("archscaler-e2e").forceConflicts().serverSideApply();
            }
        }
        // the scenario is to create the Lease and the status ConfigMap itself, as on a fresh install
        admin.leases().inNamespace(ARCHSCALER_NAMESPACE).withName("archscaler").delete();
        admin.configMaps().inNamespace(ARCHSCALER_NAMESPACE).withName("archscaler-status").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.leases().inNamespace(ARCHSCALER_NAMESPACE)
                .withName("archscaler").get() == null && statusConfigMap() == null);
    }

    private static ArchscalerConfig config(int webhookPort, E2eWebhooks.Serving serving) {
        return ConfigLoader.standard().parse(CONFIG.formatted(webhookPort, serving.files().certificate(),
                serving.files().privateKey()), "rbac-e2e.yaml");
    }

    private static String awaitLeaseHolder(Set<String> candidates) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Lease lease = admin.leases().inNamespace(ARCHSCALER_NAMESPACE).withName("archscaler").get();
            return lease != null && candidates.contains(lease.getSpec().getHolderIdentity());
        });
        return admin.leases().inNamespace(ARCHSCALER_NAMESPACE).withName("archscaler").get().getSpec().getHolderIdentity();
    }

    private static ConfigMap statusConfigMap() {
        return admin.configMaps().inNamespace(ARCHSCALER_NAMESPACE).withName("archscaler-status").get();
    }

    /** Whether the pod's required node affinity allows amd64 only, as the placement webhook writes it. */
    private static boolean isPinnedToAmd64(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return false;
        }
        return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().stream()
                .flatMap(t -> t.getMatchExpressions().stream())
                .anyMatch(e -> "kubernetes.io/arch".equals(e.getKey()) && "In".equals(e.getOperator())
                        && List.of("amd64").equals(e.getValues()));
    }

    /** The section of docs/deploy.md that names the permissions kept although the scenario does not use them. */
    private static String unusedPermissionsSection(String docs) {
        int start = docs.indexOf("### " + UNUSED_SECTION);
        assertThat(start).as("docs/deploy.md has a section \"" + UNUSED_SECTION + "\"").isNotNegative();
        int end = docs.indexOf("\n#", start + 4);
        return end < 0 ? docs.substring(start) : docs.substring(start, end);
    }

    /** docs/deploy.md, found upwards from the working directory (the module's, under Maven). */
    private static Path docsDeploy() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/deploy.md")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir.resolve("docs/deploy.md");
            }
        }
        throw new IllegalStateException("no docs/deploy.md above " + Path.of("").toAbsolutePath());
    }

    private static void step(String what, long startedNanos) {
        System.out.printf("RbacE2E: %-70s at %5.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }
}
