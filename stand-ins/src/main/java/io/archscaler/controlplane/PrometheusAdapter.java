package io.archscaler.controlplane;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * prometheus-adapter's custom metrics API server behind a control plane's aggregation layer, as
 * kube-prometheus installs it: its own ServiceAccount with the adapter's RBAC (read pods,
 * namespaces, nodes and services; delegated authentication and authorization), serving on a free
 * loopback port with a certificate of its own CA, and the APIService
 * {@code v1beta1.custom.metrics.k8s.io} pointing at it with that CA as {@code caBundle}. Requests for
 * {@code /apis/custom.metrics.k8s.io/v1beta1/...} to the API server (the HPA controller's, kubectl's)
 * then reach it, and it answers them with queries to Prometheus rendered from its rules.
 *
 * <p>The API server reaches an APIService through its Service; with no service network on loopback,
 * that Service is of type ExternalName naming {@code 127.0.0.1}, which the aggregator resolves as it
 * would a DNS name. {@link #close()} removes the APIService before stopping the adapter, so the
 * API server's discovery never lists a group nobody serves.
 */
public final class PrometheusAdapter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusAdapter.class);
    public static final String NAMESPACE = "custom-metrics";
    public static final String NAME = "prometheus-adapter";
    public static final String API_SERVICE = "v1beta1.custom.metrics.k8s.io";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How often the adapter lists series from Prometheus: a new pod's series is served this long after its first scrape. */
    private static final Duration RELIST_INTERVAL = Duration.ofSeconds(2);

    // kube-prometheus's prometheus-adapter RBAC (manifests/prometheusAdapter-*.yaml), with our namespace
    private static final String RBAC = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %1$s}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: %2$s, namespace: %1$s}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: %2$s}
            rules:
            - apiGroups: [""]
              resources: [nodes, namespaces, pods, services]
              verbs: [get, list, watch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: %2$s}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %2$s}
            subjects: [{kind: ServiceAccount, name: %2$s, namespace: %1$s}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: "%2$s:system:auth-delegator"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator"}
            subjects: [{kind: ServiceAccount, name: %2$s, namespace: %1$s}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: "%2$s-auth-reader", namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
            subjects: [{kind: ServiceAccount, name: %2$s, namespace: %1$s}]
            """;

    private static final String REGISTRATION = """
            apiVersion: v1
            kind: Service
            metadata: {name: %2$s, namespace: %1$s}
            spec:
              type: ExternalName
              externalName: 127.0.0.1
              ports: [{name: https, port: %3$d, targetPort: %3$d}]
            ---
            apiVersion: apiregistration.k8s.io/v1
            kind: APIService
            metadata: {name: %4$s}
            spec:
              group: custom.metrics.k8s.io
              version: v1beta1
              groupPriorityMinimum: 100
              versionPriority: 100
              service: {namespace: %1$s, name: %2$s, port: %3$d}
              caBundle: %5$s
            """;

    private final ControlPlane controlPlane;
    private final Path dir;
    private final ManagedProcess process;

    private PrometheusAdapter(ControlPlane controlPlane, Path dir, ManagedProcess process) {
        this.controlPlane = controlPlane;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Installs the adapter's RBAC, starts {@code binary} with the rules file {@code rules} against
     * {@code prometheus}, registers the APIService and returns once the API server reports it
     * Available. A failure stops it and carries the end of its log.
     */
    public static PrometheusAdapter start(ControlPlane controlPlane, PrometheusAdapterBinary binary, URI prometheus, Path rules) {
        Path dir = ScratchDirectory.create("archscaler-prometheus-adapter-");
        int port = LoopbackPort.free();
        try (KubernetesClient admin = controlPlane.newClient()) {
            apply(admin, RBAC.formatted(NAMESPACE, NAME));
            ServiceAccountIdentity identity = ServiceAccountIdentity.issue(controlPlane, admin, NAMESPACE, NAME, Duration.ofHours(24), dir);
            // the aggregator checks the name <service>.<namespace>.svc against the serving certificate
            CertificateAuthority ca = CertificateAuthority.create("prometheus-adapter-ca");
            PemKeyPair.Written serving = ca.issueServer(NAME, List.of("127.0.0.1", NAME + "." + NAMESPACE + ".svc"))
                    .write(dir, "serving");
            String kubeconfig = identity.kubeconfig().toString();
            ManagedProcess process = new ManagedProcess(NAME, List.of(binary.file().toString(),
                    "--secure-port=" + port, "--bind-address=127.0.0.1",
                    "--tls-cert-file=" + serving.certificate(), "--tls-private-key-file=" + serving.privateKey(),
                    "--lister-kubeconfig=" + kubeconfig, "--authentication-kubeconfig=" + kubeconfig,
                    "--authorization-kubeconfig=" + kubeconfig,
                    "--prometheus-url=" + prometheus, "--config=" + rules,
                    "--metrics-relist-interval=" + RELIST_INTERVAL.toSeconds() + "s", "--v=2"), dir.resolve("adapter.log"));
            PrometheusAdapter adapter = new PrometheusAdapter(controlPlane, dir, process);
            try {
                process.start();
                // registered once it listens: an APIService found unavailable is checked again only after a back-off
                ProcessReadiness.await("prometheus-adapter listening on 127.0.0.1:" + port, List.of(process), START_TIMEOUT,
                        () -> LoopbackPort.listening(port));
                apply(admin, REGISTRATION.formatted(NAMESPACE, NAME, port, API_SERVICE, ca.certificateBase64()));
                ProcessReadiness.await("APIService " + API_SERVICE + " Available", List.of(process), START_TIMEOUT,
                        () -> available(admin));
            } catch (RuntimeException e) {
                adapter.close();
                throw e;
            }
            LOG.info("prometheus-adapter serving {} on 127.0.0.1:{} (files in {})", API_SERVICE, port, dir);
            return adapter;
        } catch (RuntimeException e) {
            ScratchDirectory.delete(dir);
            throw e;
        }
    }

    @Override
    public void close() {
        try (KubernetesClient admin = controlPlane.newClient()) {
            admin.genericKubernetesResources("apiregistration.k8s.io/v1", "APIService").withName(API_SERVICE).delete();
            admin.services().inNamespace(NAMESPACE).withName(NAME).delete();
        } finally {
            process.stop();
            ScratchDirectory.delete(dir);
        }
    }

    private static void apply(KubernetesClient admin, String yaml) {
        List<HasMetadata> objects = admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        for (HasMetadata o : objects) {
            admin.resource(o).forceConflicts().serverSideApply();
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean available(KubernetesClient admin) {
        GenericKubernetesResource r = admin.genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
                .withName(API_SERVICE).get();
        Object status = r == null ? null : r.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().map(c -> (Map<String, Object>) c)
                .anyMatch(c -> "Available".equals(c.get("type")) && "True".equals(c.get("status")));
    }
}
