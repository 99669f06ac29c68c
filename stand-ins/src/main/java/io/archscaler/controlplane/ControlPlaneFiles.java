package io.archscaler.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files a control plane runs from, all made fresh in its directory: a CA, the API server's
 * serving certificate, the service-account signing key, the audit policy, a kubeconfig per
 * identity (the admin in {@code system:masters}; the scheduler and the controller-manager as the
 * users the bootstrap RBAC policy grants their roles to), and the aggregation layer's front proxy:
 * a CA of its own, as kubeadm makes one, and the client certificate the API server presents to
 * extension API servers (a custom metrics API server) when it proxies a request to them.
 */
record ControlPlaneFiles(Path dir, String caPem, Path caFile, PemKeyPair.Written serving, PemKeyPair.Written serviceAccount,
                         Path auditPolicy, Path auditLog, PemKeyPair admin, Kubeconfigs kubeconfigs, FrontProxy frontProxy) {
    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/24";
    static final String ADMIN_USER = "archscaler-e2e-admin";

    /** The name the front proxy's client certificate carries; extension API servers trust only it to name the user. */
    static final String FRONT_PROXY_CLIENT = "front-proxy-client";

    /** The aggregation layer's CA (extension API servers verify the proxy's certificate with it) and the proxy's client pair. */
    record FrontProxy(Path caFile, PemKeyPair.Written client) {
    }

    /** Every identity's kubeconfig. */
    record Kubeconfigs(Path admin, Path scheduler, Path controllerManager) {
    }

    // Metadata for every request: who (user, groups), what (verb, resource, name) and the answer's code.
    private static final String AUDIT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
            - level: Metadata
            """;

    static ControlPlaneFiles create(Path dir, String server) {
        CertificateAuthority ca = CertificateAuthority.create("archscaler-e2e-ca");
        Path caFile = write(dir.resolve("ca.crt"), ca.certificatePem());
        PemKeyPair.Written serving = ca.issueServer("kube-apiserver", List.of("127.0.0.1", "localhost", "10.96.0.1",
                "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"))
                .write(dir, "apiserver");
        PemKeyPair.Written serviceAccount = CertificateAuthority.signingKeyPair().write(dir, "service-account");
        Path auditPolicy = write(dir.resolve("audit-policy.yaml"), AUDIT_POLICY);
        PemKeyPair admin = ca.issueClient(ADMIN_USER, List.of("system:masters"));
        Kubeconfigs kubeconfigs = new Kubeconfigs(
                Kubeconfig.write(dir.resolve("admin.kubeconfig"), server, ca.certificatePem(), ADMIN_USER, admin),
                Kubeconfig.write(dir.resolve("scheduler.kubeconfig"), server, ca.certificatePem(), "system:kube-scheduler",
                        ca.issueClient("system:kube-scheduler", List.of())),
                Kubeconfig.write(dir.resolve("controller-manager.kubeconfig"), server, ca.certificatePem(),
                        "system:kube-controller-manager", ca.issueClient("system:kube-controller-manager", List.of())));
        CertificateAuthority frontProxyCa = CertificateAuthority.create("archscaler-e2e-front-proxy-ca");
        FrontProxy frontProxy = new FrontProxy(write(dir.resolve("front-proxy-ca.crt"), frontProxyCa.certificatePem()),
                frontProxyCa.issueClient(FRONT_PROXY_CLIENT, List.of()).write(dir, FRONT_PROXY_CLIENT));
        return new ControlPlaneFiles(dir, ca.certificatePem(), caFile, serving, serviceAccount, auditPolicy,
                dir.resolve("audit.log"), admin, kubeconfigs, frontProxy);
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
