package io.archscaler.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real Kubernetes control plane on loopback, for end-to-end tests, the demo and benchmarks:
 * etcd, kube-apiserver (RBAC, admission webhooks, service-account token signing, an audit log of
 * every request), kube-scheduler, kube-controller-manager and kwok, which keeps Nodes Ready and
 * the pods bound to them Running. Each instance has its own free ports and temporary directory;
 * {@link #close()} stops every process it started and deletes the directory.
 *
 * <p>The binaries come from {@code tools/control-plane/install} (see {@link ControlPlaneBinaries}).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** The components' names, as {@link #pid} and {@link ControlPlaneSettings#withComponentFlag} take them. */
    public static final String ETCD = "etcd";
    public static final String API_SERVER = "kube-apiserver";
    public static final String SCHEDULER = "kube-scheduler";
    public static final String CONTROLLER_MANAGER = "kube-controller-manager";
    public static final String KWOK = "kwok";

    private final ControlPlaneBinaries binaries;
    private final ControlPlaneSettings settings;
    private final Path dir;
    private final ControlPlaneFiles files;
    private final String serverUrl;
    private final int etcdClientPort;
    private final int etcdPeerPort;
    private final int apiServerPort;
    private final ManagedProcess etcd;
    private final ManagedProcess apiServer;
    private final List<ManagedProcess> components;
    private final Thread shutdownHook;

    private ControlPlane(ControlPlaneBinaries binaries, ControlPlaneSettings settings, Path dir) {
        this.binaries = binaries;
        this.settings = settings;
        this.dir = dir;
        this.etcdClientPort = LoopbackPort.free();
        this.etcdPeerPort = LoopbackPort.free();
        this.apiServerPort = LoopbackPort.free();
        this.serverUrl = "https://127.0.0.1:" + apiServerPort;
        this.files = ControlPlaneFiles.create(dir, serverUrl);
        this.etcd = new ManagedProcess(ETCD, etcdCommand(), dir.resolve("etcd.log"));
        this.apiServer = new ManagedProcess(API_SERVER, apiServerCommand(), dir.resolve("kube-apiserver.log"));
        this.components = List.of(
                new ManagedProcess(SCHEDULER, schedulerCommand(), dir.resolve("kube-scheduler.log")),
                new ManagedProcess(CONTROLLER_MANAGER, controllerManagerCommand(), dir.resolve("kube-controller-manager.log")),
                new ManagedProcess(KWOK, kwokCommand(), dir.resolve("kwok.log")));
        // a JVM ended by a signal must not leave etcd and the API server running, nor their data (a GB after a big burst)
        this.shutdownHook = new Thread(() -> {
            stopAll();
            ScratchDirectory.delete(dir);
        }, "control-plane-stop");
    }

    /** Starts a control plane from the configured binaries with the default settings. */
    public static ControlPlane start() {
        return start(ControlPlaneBinaries.locate(), ControlPlaneSettings.defaults());
    }

    /**
     * Starts every component and returns once the API server is ready and the {@code default}
     * namespace has its ServiceAccount (pods cannot be created before). A component that does not
     * come up stops the others and fails with the end of its log.
     */
    public static ControlPlane start(ControlPlaneBinaries binaries, ControlPlaneSettings settings) {
        Path dir = ScratchDirectory.create("archscaler-control-plane-");
        ControlPlane cp = new ControlPlane(binaries, settings, dir);
        long started = System.nanoTime();
        try {
            Runtime.getRuntime().addShutdownHook(cp.shutdownHook);
            cp.startEtcd();
            cp.startApiServer();
            cp.components.forEach(ManagedProcess::start);
            try (KubernetesClient client = cp.newClient()) {
                cp.await("the default ServiceAccount", cp.components,
                        () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
            }
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
        LOG.info("control plane up in {} ms at {} (files in {})", (System.nanoTime() - started) / 1_000_000, cp.serverUrl, dir);
        return cp;
    }

    /** The API server's URL, {@code https://127.0.0.1:PORT}. */
    public String serverUrl() {
        return serverUrl;
    }

    /** The admin kubeconfig (a client certificate in {@code system:masters}), for kubectl and clients. */
    public Path kubeconfig() {
        return files.kubeconfigs().admin();
    }

    /** The audit log: one JSON line per request, with user, verb, resource and response code. */
    public Path auditLog() {
        return files.auditLog();
    }

    /** The CA every certificate of this control plane chains to, PEM (clients trust it to reach the API server). */
    public String caCertificatePem() {
        return files.caPem();
    }

    /** What it runs beyond its fixed core (controllers, the HPA controller's sync period, extra flags). */
    public ControlPlaneSettings settings() {
        return settings;
    }

    /** The binaries this control plane runs, kubectl among them. */
    public ControlPlaneBinaries binaries() {
        return binaries;
    }

    /** A new client with the admin's identity; the caller closes it. */
    public KubernetesClient newClient() {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client that authenticates with a bearer token (e.g. a ServiceAccount's, from the TokenRequest API). */
    public KubernetesClient newClient(String bearerToken) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(serverUrl)
                .withCaCertData(PemKeyPair.base64(files.caPem())).withOauthToken(bearerToken).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * The process id of a running component ({@link #ETCD}, {@link #API_SERVER}, ...), for reading what it used from
     * {@code /proc/<pid>/stat}; empty when it is not running.
     */
    public java.util.OptionalLong pid(String component) {
        List<ManagedProcess> all = new ArrayList<>(List.of(etcd, apiServer));
        all.addAll(components);
        return all.stream().filter(p -> p.name().equals(component)).findFirst()
                .map(ManagedProcess::pid).orElse(java.util.OptionalLong.empty());
    }

    /** Kills kube-apiserver at once (SIGKILL), as a crash would; {@link #startApiServer()} brings it back on the same port. */
    public void killApiServer() {
        apiServer.kill();
    }

    /** Starts kube-apiserver (after {@link #killApiServer()}) and waits until it is ready again. */
    public void startApiServer() {
        apiServer.start();
        await("kube-apiserver /readyz", List.of(etcd, apiServer), this::apiServerReady);
    }

    /** Kills and starts kube-apiserver, returning when it is ready again. */
    public void restartApiServer() {
        killApiServer();
        startApiServer();
    }

    /** Kills etcd (SIGKILL) and starts it again on the same data, returning when the API server answers /readyz again. */
    public void restartEtcd() {
        etcd.kill();
        startEtcd();
        await("kube-apiserver /readyz after etcd's restart", List.of(etcd, apiServer), this::apiServerReady);
    }

    /** Stops every process (kwok, controllers, scheduler, API server, etcd) and deletes the directory. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook stops and deletes all this too
        }
        ScratchDirectory.delete(dir);
    }

    private void stopAll() {
        List<ManagedProcess> reverse = new ArrayList<>(components);
        java.util.Collections.reverse(reverse);
        reverse.forEach(ManagedProcess::stop);
        apiServer.stop();
        etcd.stop();
    }

    private void startEtcd() {
        etcd.start();
        String health = "http://127.0.0.1:" + etcdClientPort + "/health";
        await("etcd " + health, List.of(etcd), () -> ProcessReadiness.httpGet(health).contains("\"health\":\"true\""));
    }

    private boolean apiServerReady() {
        try (KubernetesClient client = newClient()) {
            return "ok".equals(client.raw("/readyz"));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private void await(String what, List<ManagedProcess> watched, BooleanSupplier condition) {
        ProcessReadiness.await(what, watched, START_TIMEOUT, condition);
    }

    private List<String> etcdCommand() {
        String client = "http://127.0.0.1:" + etcdClientPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        return List.of(binaries.binary("etcd").toString(), "--name=e2e", "--data-dir=" + dir.resolve("etcd-data"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=e2e=" + peer, "--initial-cluster-state=new",
                // a test cluster: losing the last writes on a power cut is fine, waiting for fsync is not
                "--unsafe-no-fsync=true", "--log-level=warn");
    }

    private List<String> apiServerCommand() {
        List<String> c = new ArrayList<>(List.of(binaries.binary("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdClientPort,
                "--bind-address=127.0.0.1", "--secure-port=" + apiServerPort, "--advertise-address=127.0.0.1",
                "--tls-cert-file=" + files.serving().certificate(), "--tls-private-key-file=" + files.serving().privateKey(),
                "--client-ca-file=" + files.caFile(),
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction",
                "--service-account-key-file=" + files.serviceAccount().certificate(),
                "--service-account-signing-key-file=" + files.serviceAccount().privateKey(),
                "--service-account-issuer=" + ControlPlaneFiles.SERVICE_ACCOUNT_ISSUER,
                "--service-cluster-ip-range=" + ControlPlaneFiles.SERVICE_CLUSTER_IP_RANGE,
                "--audit-policy-file=" + files.auditPolicy(), "--audit-log-path=" + files.auditLog(),
                // the Endpoints of the kubernetes Service cannot hold a loopback address: nothing needs them here
                "--endpoint-reconciler-type=none",
                // the aggregation layer, as kubeadm sets it up: requests for an APIService (custom.metrics.k8s.io) are
                // proxied with the front proxy's client certificate and the user in X-Remote-* headers
                "--requestheader-client-ca-file=" + files.frontProxy().caFile(),
                "--requestheader-allowed-names=" + ControlPlaneFiles.FRONT_PROXY_CLIENT,
                "--requestheader-username-headers=X-Remote-User", "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                "--proxy-client-cert-file=" + files.frontProxy().client().certificate(),
                "--proxy-client-key-file=" + files.frontProxy().client().privateKey(),
                "--allow-privileged=true", "--profiling=false", "--v=1"));
        c.addAll(settings.apiServerFlags());
        return c;
    }

    private List<String> schedulerCommand() {
        Path kc = files.kubeconfigs().scheduler();
        List<String> c = new ArrayList<>(List.of(binaries.binary("kube-scheduler").toString(), "--kubeconfig=" + kc,
                "--authentication-kubeconfig=" + kc, "--authorization-kubeconfig=" + kc,
                "--secure-port=0", "--leader-elect=false", "--v=1"));
        c.addAll(settings.flagsOf(SCHEDULER));
        return c;
    }

    private List<String> controllerManagerCommand() {
        Path kc = files.kubeconfigs().controllerManager();
        List<String> c = new ArrayList<>(List.of(binaries.binary("kube-controller-manager").toString(), "--kubeconfig=" + kc,
                "--authentication-kubeconfig=" + kc, "--authorization-kubeconfig=" + kc,
                "--secure-port=0", "--leader-elect=false",
                "--controllers=" + String.join(",", settings.controllers()),
                "--horizontal-pod-autoscaler-sync-period=" + settings.hpaSyncPeriod().toMillis() + "ms",
                // each controller acts as its own ServiceAccount, as in a real cluster, so RBAC judges them too
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + files.serviceAccount().privateKey(),
                "--root-ca-file=" + files.caFile(), "--v=1"));
        c.addAll(settings.flagsOf(CONTROLLER_MANAGER));
        return c;
    }

    private List<String> kwokCommand() {
        // its own config only (never ~/.kwok/kwok.yaml): kwokctl's stages, as a kubelet at scale behaves (KwokConfig)
        Path config = dir.resolve("kwok.yaml");
        try {
            Files.writeString(config, KwokConfig.file(Files.readString(binaries.binary(ControlPlaneBinaries.KWOK_STAGES))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KwokConfig.command(binaries, files.kubeconfigs().admin(), config);
    }
}
