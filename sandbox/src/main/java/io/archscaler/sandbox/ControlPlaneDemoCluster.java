package io.archscaler.sandbox;

import io.archscaler.controlplane.CertificateAuthority;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.ControlPlaneBinaries;
import io.archscaler.controlplane.ControlPlaneSettings;
import io.archscaler.controlplane.LoopbackPort;
import io.archscaler.controlplane.PemKeyPair;
import io.archscaler.controlplane.ScratchDirectory;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The demo on a real control plane: Deployments made through kube-apiserver, whose ReplicaSet
 * controller makes the pods and calls the placement webhook for each (deploy/'s
 * MutatingWebhookConfiguration, pointed at Archscaler over TLS); kube-scheduler binds them; kwok runs
 * them on the simulated provider's nodes; the HPA step runs on the real custom-metrics chain
 * ({@link DemoHpaChain}) when prometheus-adapter is built, else on the sandbox's stand-in.
 */
final class ControlPlaneDemoCluster implements DemoCluster {
    /** deploy/base/webhook.yaml, which the sandbox's jar carries. */
    private static final String WEBHOOK_RESOURCE = "/io/archscaler/sandbox/deploy/base/webhook.yaml";
    private static final String WEBHOOK_NAME = "archscaler-placement-demo";
    private static final Duration PODS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HPA_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Clock clock;
    private final Consumer<String> say;
    private final Path dir;
    private final ControlPlane controlPlane;
    private final KubernetesClient client;
    private final PemKeyPair.Written serving;
    private final String caBundle;
    private final int webhookPort = LoopbackPort.free();
    private final Optional<DemoHpaChain> chain;
    private final DemoPodTimes times;
    private SharedIndexInformer<PodDisruptionBudget> budgetInformer;

    private ControlPlaneDemoCluster(Vertx vertx, Clock clock, Consumer<String> say, Path dir, ControlPlane controlPlane) {
        this.vertx = vertx;
        this.clock = clock;
        this.say = say;
        this.dir = dir;
        this.controlPlane = controlPlane;
        this.client = controlPlane.newClient();
        CertificateAuthority ca = CertificateAuthority.create("archscaler-demo-webhook-ca");
        this.serving = ca.issueServer("archscaler-webhook", List.of("127.0.0.1")).write(dir, "webhook");
        this.caBundle = ca.certificateBase64();
        for (String ns : List.of(DemoWorkload.NAMESPACE, "archscaler")) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
        }
        this.times = DemoPodTimes.follow(client, DemoWorkload.NAMESPACE, clock);
        this.chain = DemoHpaChain.start(controlPlane, dir, say);
    }

    /**
     * Starts the control plane from the configured binaries ({@link ControlPlaneBinaries#locate()},
     * which says how to build them when they are missing) and the HPA chain when it can.
     */
    static ControlPlaneDemoCluster open(ControlPlaneBinaries binaries, Vertx vertx, Clock clock, Consumer<String> say)
{
        say.accept("starting the control plane (etcd, kube-apiserver, kube-scheduler, kube-controller-manager, kwok) from "
                + binaries.dir());
        Path dir = ScratchDirectory.create("archscaler-demo-");
        ControlPlane controlPlane = ControlPlane.start(binaries, ControlPlaneSettings.defaults());
        try {
            return new ControlPlaneDemoCluster(vertx, clock, say, dir, controlPlane);
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String describe() {
        return "kube-apiserver " + controlPlane.serverUrl() + " (kubeconfig " + controlPlane.kubeconfig()
                + "; kube-scheduler, kube-controller-manager, kwok)";
    }

    @Override
    public String extraConfig() {
        return "webhook: {enabled: true, port: " + webhookPort + ", certFile: \"" + serving.certificate() + "\", keyFile: \""
                + serving.privateKey() + "\", timeout: 2s}\n" + chain.map(DemoHpaChain::config).orElse("");
    }

    /** Registers deploy/'s placement webhook with the API server and waits until it calls it. */
    @Override
    public void attach(Attachment a) throws IOException {
        MutatingWebhookConfiguration config;
        try (InputStream in = ControlPlaneDemoCluster.class.getResourceAsStream(WEBHOOK_RESOURCE)) {
            config = client.load(in).items().stream().filter(MutatingWebhookConfiguration.class::isInstance)
                    .map(MutatingWebhookConfiguration.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException("deploy/base/webhook.yaml has no MutatingWebhookConfiguration"));
        }
        config.getMetadata().setName(WEBHOOK_NAME);
        config.getMetadata().setAnnotations(null); // cert-manager's CA injection: the caBundle is set here
        var webhook = config.getWebhooks().get(0);
        webhook.getClientConfig().setService(null);
        webhook.getClientConfig().setUrl("https://127.0.0.1:" + webhookPort + "/mutate-pods");
        webhook.getClientConfig().setCaBundle(caBundle);
        webhook.getNamespaceSelector().getMatchExpressions().add(new LabelSelectorRequirementBuilder()
                .withKey("kubernetes.io/metadata.name").withOperator("In").withValues(DemoWorkload.NAMESPACE).build());
        client.resource(config).serverSideApply();
        // the API server picks a new configuration up within a moment: until a dry run reaches the webhook
        Pod probe = new PodBuilder().withNewMetadata().withGenerateName("webhook-probe-").withNamespace(DemoWorkload.NAMESPACE)
                .endMetadata().withNewSpec().addNewContainer().withName("probe").withImage(a.amd64OnlyImage()).endContainer()
                .endSpec().build();
        await("the API server to call the placement webhook", PODS_TIMEOUT, () -> {
            Pod admitted = client.pods().inNamespace(DemoWorkload.NAMESPACE).resource(probe).dryRun().create();
            return admitted.getMetadata().getAnnotations() != null
                    && admitted.getMetadata().getAnnotations().containsKey("archscaler.io/arch-source");
        });
    }

    @Override
    public List<Pod> deploy(DemoWorkload.Spec w, HorizontalPodAutoscaler hpa) {
        client.resource(DemoWorkload.deployment(w)).create();
        if (hpa != null) {
            // what the API server keeps of a new HPA is its spec: the controller writes its status
            client.resource(new HorizontalPodAutoscalerBuilder(hpa).withStatus(null).build()).create();
            chain.ifPresent(c -> c.follow(client, w.name(), w.replicas() * QUIET_PER_POD));
        }
        await(w.replicas() + " pods of " + w.name() + " from its ReplicaSet", PODS_TIMEOUT,
                () -> podsOf(w.name()).size() >= w.replicas());
        return podsOf(w.name());
    }

    @Override
    public void loadClimbs(String workload, String metric, double perPod) {
        times.markQuiet(workload);
        int replicas = replicas().getOrDefault(workload, 0);
        if (chain.isPresent()) {
            // the adapter's rule is a rate over 2 minutes, which a young series reaches only as the window fills: the pods
            // get what makes it read perPod after CLIMB, as a sudden surge would
            double each = perPod * RATE_WINDOW.toSeconds() / CLIMB.toSeconds();
            try {
                chain.get().awaitHpaSync(controlPlane.settings().hpaSyncPeriod().multipliedBy(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            say.accept(String.format(java.util.Locale.ROOT, "the real chain: each %s pod now serves %.0f requests/s; the"
                    + " adapter's rule averages them over %d s, so the HPA's metric climbs past %.0f per pod in about %d s",
                    workload, each, RATE_WINDOW.toSeconds(), perPod, CLIMB.toSeconds()));
            chain.get().load(each * replicas);
        } else {
            vertx.eventBus().request(EventAddresses.METRICS, new MetricSample("sandbox", DemoWorkload.NAMESPACE,
                    workload, metric, perPod, clock.instant()));
        }
    }

    @Override
    public Instant hpaActs(String workload, int from, int to) {
        if (chain.isEmpty()) {
            Instant acted = clock.instant();
            client.apps().deployments().inNamespace(DemoWorkload.NAMESPACE).withName(workload).scale(to);
            return acted;
        }
        try {
            await("the HPA controller to scale " + workload, HPA_TIMEOUT, () -> times.firstAfterQuiet(workload).isPresent());
        } catch (IllegalStateException e) {
            say.accept(e.getMessage());
            return null;
        }
        HorizontalPodAutoscaler h = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(DemoWorkload.NAMESPACE)
                .withName(workload).get();
        say.accept("the real HPA controller scaled " + workload + " from " + from + " to "
                + h.getStatus().getDesiredReplicas() + " (its metric then: " + h.getStatus().getCurrentMetrics().stream()
                .map(m -> m.getPods() == null ? "?" : m.getPods().getCurrent().getAverageValue().toString()).toList() + ")");
        return times.firstAfterQuiet(workload).orElseThrow();
    }

    /**
     * The Deployments go first, leaving their ReplicaSets (which then make no more pods), the
     * ReplicaSets next, then every pod in one request, so that they vanish together.
     */
    @Override
    public void endWorkloads(String labelKey, String labelValue) {
        times.markReplacementsFromNow();
        String ns = DemoWorkload.NAMESPACE;
        client.apps().deployments().inNamespace(ns).withLabel(labelKey, labelValue)
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN).delete();
        client.apps().replicaSets().inNamespace(ns).withLabel(labelKey, labelValue).delete();
        client.pods().inNamespace(ns).withLabel(labelKey, labelValue).delete();
    }

    @Override
    public Map<String, Integer> replicas() {
        Map<String, Integer> out = new TreeMap<>();
        for (Deployment d : client.apps().deployments().inNamespace(DemoWorkload.NAMESPACE).list().getItems()) {
            if (d.getMetadata().getDeletionTimestamp() == null) {
                out.put(d.getMetadata().getName(), d.getSpec().getReplicas());
            }
        }
        return out;
    }

    @Override
    public List<Pod> pods() {
        return client.pods().inNamespace(DemoWorkload.NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    @Override
    public List<Node> nodes() {
        return client.nodes().list().getItems();
    }

    @Override
    public Map<String, Duration> waitsForCapacity() {
        return times.waitsForCapacity();
    }

    @Override
    public Map<String, Duration> waitsToBind() {
        return times.waitsToBind();
    }

    @Override
    public void evictionsReplaceFromNow() {
        times.markReplacementsFromNow();
    }

    /** The disruption controller's counts, as it writes them into each budget's status. */
    @Override
    public void observeBudgets(Consumer<List<BudgetHealth>> observer) {
        budgetInformer = client.policy().v1().podDisruptionBudget().inNamespace(DemoWorkload.NAMESPACE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(PodDisruptionBudget b) {
                        counted(b);
                    }

                    @Override
                    public void onUpdate(PodDisruptionBudget before, PodDisruptionBudget b) {
                        counted(b);
                    }

                    @Override
                    public void onDelete(PodDisruptionBudget b, boolean finalStateUnknown) {
                        // a budget gone guards nothing
                    }

                    private void counted(PodDisruptionBudget b) {
                        var status = b.getStatus();
                        if (status != null && status.getObservedGeneration() != null) {
                            observer.accept(List.of(new BudgetHealth(b.getMetadata().getNamespace() + "/"
                                    + b.getMetadata().getName(), status.getCurrentHealthy(), status.getDesiredHealthy())));
                        }
                    }
                }, 0);
    }

    private List<Pod> podsOf(String workload) {
        return pods().stream().filter(p -> workload.equals(p.getMetadata().getLabels().get("app"))).toList();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    @Override
    public void close() {
        try {
            times.close();
            if (budgetInformer != null) {
                budgetInformer.close();
            }
            chain.ifPresent(DemoHpaChain::close);
            client.close();
        } finally {
            controlPlane.close();
            ScratchDirectory.delete(dir);
        }
    }

    /** The window of deploy/'s adapter rule, {@code rate(...[2m])}. */
    private static final Duration RATE_WINDOW = Duration.ofMinutes(2);
    /** How soon after the load climbs the HPA's metric is to read the script's value. */
    private static final Duration CLIMB = Duration.ofSeconds(8);

    /** Requests a second per pod before the load climbs: within the HPA's tolerance of its target, so it holds still. */
    private static final double QUIET_PER_POD = 95;
}
