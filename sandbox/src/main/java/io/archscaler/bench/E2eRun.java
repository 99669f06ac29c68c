package io.archscaler.bench;

import io.archscaler.controlplane.AuditLog;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.ControlPlaneBinaries;
import io.archscaler.controlplane.ControlPlaneSettings;
import io.archscaler.controlplane.LoopbackPort;
import io.archscaler.controlplane.ScratchDirectory;
import io.archscaler.controlplane.ServiceAccountIdentity;
import io.archscaler.config.Durations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One burst of {@code bench --e2e} on a fresh control plane: deploy/'s RBAC and a token for
 * Archscaler's ServiceAccount, the controller in its own JVM ({@link E2eController}), then N pods
 * created directly through the API by parallel clients (no ReplicaSet: the controller-manager's
 * client rate would pace the burst), three flexible workloads and one locked to amd64 by
 * nodeSelector. Ends when every pod is Running, or at a timeout.
 */
final class E2eRun {
    static final String NAMESPACE = "burst";
    private static final String ARCHSCALER_NAMESPACE = "archscaler";
    private static final String SERVICE_ACCOUNT = "archscaler";
    /** deploy/base's objects the controller needs to run as its ServiceAccount, which the sandbox's jar carries. */
    private static final List<String> RBAC = List.of("namespace.yaml", "serviceaccount.yaml", "rbac.yaml");
    private static final String[] WORKLOADS = {"web", "api", "worker", "legacy"};
    private static final String[] CPU = {"500m", "1", "1", "1"};
    private static final String[] MEMORY = {"1Gi", "2Gi", "2Gi", "2Gi"};
    private static final int CREATORS = 16;
    /** Each group holds up to this many nodes; four groups make the 5,000 nodes a burst may need at most. */
    static final int GROUP_MAX = 1250;
    /** Two groups of each architecture, 16 cpu each, so a 50,000-pod burst fits in under 5,000 nodes. */
    private static final String CONFIG = """
            cluster: bench-e2e
            nodeGroups:
            %s
            scaleUp: {maxNodesTotal: %d, maxNodeProvisionTime: 10m}
            leaderElection: {enabled: true, namespace: archscaler, leaseName: archscaler}
            http: {port: %d}
            images: {resolve: false}
            webhook: {enabled: false}
            """;

    /** What a run is given. */
    record Setup(int pods, Duration registrationDelay, double clientQps, boolean baseline, ControlPlaneBinaries binaries) {
    }

    private final Setup setup;
    private final Consumer<String> say;

    E2eRun(Setup setup, Consumer<String> say) {
        this.setup = setup;
        this.say = say;
    }

    /** The control plane a run starts: its components' client rates raised as an operator of a large cluster would. */
    static ControlPlaneSettings settings(double clientQps) {
        ControlPlaneSettings s = ControlPlaneSettings.defaults();
        if (clientQps <= 0) {
            return s; // Kubernetes' defaults: kube-scheduler 50 qps (burst 100), kube-controller-manager 20 (burst 30)
        }
        String qps = "--kube-api-qps=" + clientQps;
        String burst = "--kube-api-burst=" + (int) (clientQps * 2);
        for (String component : List.of(ControlPlane.SCHEDULER, ControlPlane.CONTROLLER_MANAGER)) {
            s = s.withComponentFlag(component, qps).withComponentFlag(component, burst);
        }
        return s;
    }

    /**
     * One run; however it ends, even by a signal to this JVM (the control plane's own hook stops it and
     * deletes its directory), it leaves no process and no directory behind.
     */
    E2eRound run() throws InterruptedException {
        Path dir = ScratchDirectory.create("archscaler-bench-e2e-");
        AtomicReference<E2eControllerProcess> child = new AtomicReference<>();
        Thread onSignal = new Thread(() -> {
            // the JVM's exit would close the child's stdin, but a child whose controller cannot stop cleanly
            // (the control plane gone first) would linger: end it outright
            E2eControllerProcess c = child.get();
            if (c != null) {
                c.kill();
            }
            ScratchDirectory.delete(dir);
        }, "bench-e2e-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (ControlPlane cp = ControlPlane.start(setup.binaries(), settings(setup.clientQps()));
             KubernetesClient admin = cp.newClient()) {
            if (setup.baseline()) {
                admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
                awaitDefaultServiceAccount(admin);
                int nodes = E2eBaselineNodes.register(admin, setup.pods());
                awaitNodesUntainted(admin, nodes);
                say.accept("e2e baseline: " + nodes + " nodes registered and Ready before the burst; no Archscaler");
                return burst(cp, admin, null, null);
            }
            installRbac(admin);
            ServiceAccountIdentity identity = ServiceAccountIdentity.issue(cp, admin, ARCHSCALER_NAMESPACE, SERVICE_ACCOUNT,
                    Duration.ofHours(3), dir);
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
            awaitDefaultServiceAccount(admin);
            Path config = Files.writeString(dir.resolve("config.yaml"), config(setup.registrationDelay(), LoopbackPort.free()));
            // the simulated cloud registers Nodes as the admin, as a kubelet would with its own credentials
            try (E2eControllerProcess controller = E2eControllerProcess.start(dir, config, identity.kubeconfig(), cp.kubeconfig())) {
                child.set(controller);
                controller.awaitReady(Duration.ofMinutes(3));
                return burst(cp, admin, identity, controller);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            removeShutdownHook(onSignal);
            ScratchDirectory.delete(dir);
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook does the same cleanup
        }
    }

    private E2eRound burst(ControlPlane cp, KubernetesClient admin, ServiceAccountIdentity identity,
                           E2eControllerProcess controller) throws InterruptedException {
        int n = setup.pods();
        E2eRound.Cpu cpuBefore = cpu(cp, controller);
        // the baseline has no delay to take off: its waits count from the burst's start
        double loadBefore = Machine.loadAverage();
        long origin = System.nanoTime();
        Instant originWall = Instant.now();
        try (E2ePodTimeline timeline = new E2ePodTimeline(admin, NAMESPACE, n, origin)) {
            double createSeconds = create(admin, n);
            say.accept(String.format(Locale.ROOT, "e2e %,d pods: created in %.1f s (%.0f/s)", n, createSeconds, n / createSeconds));
            boolean complete = awaitRunning(timeline, Duration.ofMinutes(3).plusMillis(n * 40L), controller);
            E2eRound.Cpu cpuAfter = cpu(cp, controller);
            Instant end = Instant.now();
            List<AuditLog.Request> all = AuditLog.read(cp.auditLog()).stream()
                    .filter(r -> !r.received().isBefore(originWall) && !r.received().isAfter(end)).toList();
            int nodes = admin.nodes().list().getItems().size();
            return E2eRound.of(new E2eRound.Inputs(n, controller == null ? Duration.ZERO : setup.registrationDelay(), createSeconds,
                    complete, timeline, originWall, controller == null ? List.of() : controller.decisions(), nodes, all,
                    identity == null ? "" : identity.username(), cpuAfter.minus(cpuBefore),
                    controller == null ? new E2eControllerProcess.Heap(0, 0, 0) : controller.heap(), loadBefore,
                    Machine.loadAverage()));
        }
    }

    private static E2eRound.Cpu cpu(ControlPlane cp, E2eControllerProcess controller) {
        return new E2eRound.Cpu(controller == null ? 0 : controller.cpuSeconds(), procCpu(cp, ControlPlane.API_SERVER), procCpu(cp, ControlPlane.ETCD),
                procCpu(cp, ControlPlane.SCHEDULER), procCpu(cp, ControlPlane.CONTROLLER_MANAGER), procCpu(cp, ControlPlane.KWOK));
    }

    private static double procCpu(ControlPlane cp, String component) {
        return cp.pid(component).stream().mapToDouble(ProcStat::cpuSeconds).findFirst().orElse(-1);
    }

    /** Creates the burst with {@link #CREATORS} threads in parallel; returns the seconds it took. */
    private double create(KubernetesClient admin, int n) throws InterruptedException {
        long started = System.nanoTime();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS, r -> {
            Thread t = new Thread(r, "bench-e2e-create");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int c = 0; c < CREATORS; c++) {
                int first = c;
                creators.execute(() -> {
                    for (int i = first; i < n; i += CREATORS) {
                        try {
                            admin.pods().inNamespace(NAMESPACE).resource(pod(i)).create();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
            creators.shutdown();
            if (!creators.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("creating " + n + " pods took longer than 30 minutes");
            }
        } finally {
            creators.shutdownNow();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + n + " pods could not be created");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The {@code index}-th pod: workloads cycle, so one pod in four is locked to amd64. */
    static Pod pod(int index) {
        int w = index % WORKLOADS.length;
        Map<String, String> selector = WORKLOADS[w].equals("legacy") ? Map.of("kubernetes.io/arch", "amd64") : null;
        return new PodBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName("burst-" + WORKLOADS[w] + "-" + index)
                .addToLabels("app", WORKLOADS[w]).endMetadata()
                .withNewSpec().withNodeSelector(selector)
                .addNewContainer().withName("main").withImage("registry.example/acme/" + WORKLOADS[w] + ":1.0").withNewResources()
                .addToRequests("cpu", new Quantity(CPU[w])).addToRequests("memory", new Quantity(MEMORY[w]))
                .endResources().endContainer().endSpec().build();
    }

    private boolean awaitRunning(E2ePodTimeline timeline, Duration timeout, E2eControllerProcess controller)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextSay = System.nanoTime();
        int n = timeline.pods();
        while (timeline.count(E2ePodTimeline.RUNNING) < n) {
            if (System.nanoTime() > deadline) {
                say.accept("e2e: timed out after " + timeout.toSeconds() + " s");
                return false;
            }
            if (System.nanoTime() >= nextSay) {
                nextSay += 10_000_000_000L;
                say.accept(String.format(Locale.ROOT, "e2e %,d pods: %,d marked unschedulable, %,d bound, %,d running; %d decisions;"
                        + " load %.2f", n, timeline.count(E2ePodTimeline.UNSCHEDULABLE), timeline.count(E2ePodTimeline.BOUND),
                        timeline.count(E2ePodTimeline.RUNNING), controller == null ? 0 : controller.decisions().size(),
                        Machine.loadAverage()));
            }
            if (timeline.error() != null) {
                throw new IllegalStateException(timeline.error());
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static void installRbac(KubernetesClient admin) throws IOException {
        for (String file : RBAC) {
            try (InputStream in = E2eRun.class.getResourceAsStream("/io/archscaler/sandbox/deploy/base/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("deploy/base/" + file + " is missing from the jar");
                }
                for (HasMetadata o : admin.load(in).items()) {
                    admin.resource(o).inNamespace(ARCHSCALER_NAMESPACE).fieldManager("archscaler-bench").forceConflicts()
                            .serverSideApply();
                }
            }
        }
    }

    /** The API server taints every new Node not-ready until the node lifecycle controller sees it Ready. */
    private static void awaitNodesUntainted(KubernetesClient admin, int nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (admin.nodes().list().getItems().stream().filter(node -> node.getSpec().getTaints() == null
                || node.getSpec().getTaints().isEmpty()).count() < nodes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the baseline's " + nodes + " nodes were not untainted within 5 minutes");
            }
            Thread.sleep(500);
        }
    }

    /** Pod admission waits for the namespace's default ServiceAccount, which its controller makes. */
    private static void awaitDefaultServiceAccount(KubernetesClient admin) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (admin.serviceAccounts().inNamespace(NAMESPACE).withName("default").get() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("namespace " + NAMESPACE + " got no default ServiceAccount within 60 s");
            }
            Thread.sleep(100);
        }
    }

    static String config(Duration registrationDelay, int httpPort) {
        StringBuilder groups = new StringBuilder();
        String delay = Durations.format(registrationDelay);
        for (String[] g : List.of(new String[]{"arm-a", "arm64", "100", "0.68"}, new String[]{"arm-b", "arm64", "100", "0.68"},
                new String[]{"x86-a", "amd64", "10", "0.77"}, new String[]{"x86-b", "amd64", "10", "0.77"})) {
            groups.append(String.format(Locale.ROOT, "  - {name: %s, provider: simulated, arch: %s, maxSize: %d, weight: %s,"
                    + " pricePerHour: %s, capacity: {cpu: \"16\", memory: 64Gi, pods: 110}, simulated: {registrationDelay: %s}}%n",
                    g[0], g[1], GROUP_MAX, g[2], g[3], delay));
        }
        return String.format(Locale.ROOT, CONFIG, groups.toString().stripTrailing(), GROUP_MAX * 4, httpPort);
    }
}
