package io.archscaler.controlplane;

import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A ServiceAccount's identity for a process outside the cluster, as an operator gets one with
 * {@code kubectl create token}: a token from the TokenRequest API and a kubeconfig that presents it
 * as a bearer token. A client built from that kubeconfig is judged by RBAC exactly as the pod of
 * that ServiceAccount would be.
 *
 * @param namespace  the ServiceAccount's namespace
 * @param name       the ServiceAccount's name
 * @param token      the bearer token the API server signed
 * @param kubeconfig the kubeconfig file that carries it
 */
public record ServiceAccountIdentity(String namespace, String name, String token, Path kubeconfig) {

    /**
     * Asks the API server (as {@code admin}) for a token of the ServiceAccount valid for {@code ttl},
     * and writes a kubeconfig for {@code controlPlane} with it into {@code dir}.
     */
    public static ServiceAccountIdentity issue(ControlPlane controlPlane, KubernetesClient admin, String namespace, String name,
                                               Duration ttl, Path dir) {
        TokenRequest answer = admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(ttl.toSeconds()).endSpec().build());
        String token = answer.getStatus().getToken();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("the TokenRequest for " + namespace + "/" + name + " came back without a token");
        }
        String user = "system:serviceaccount:" + namespace + ":" + name;
        // the kubeconfig model fabric8 reads, written as kubectl writes it
        io.fabric8.kubernetes.api.model.Config kubeconfig = new ConfigBuilder()
                .withApiVersion("v1").withKind("Config").withCurrentContext("archscaler-e2e")
                .addNewCluster().withName("archscaler-e2e").withNewCluster().withServer(controlPlane.serverUrl())
                .withCertificateAuthorityData(PemKeyPair.base64(controlPlane.caCertificatePem())).endCluster().endCluster()
                .addNewUser().withName(user).withNewUser().withToken(token).endUser().endUser()
                .addNewContext().withName("archscaler-e2e").withNewContext().withCluster("archscaler-e2e").withUser(user)
                .endContext().endContext()
                .build();
        String text = admin.getKubernetesSerialization().asYaml(kubeconfig);
        Path file = dir.resolve(namespace + "-" + name + ".kubeconfig");
        try {
            Files.writeString(file, text);
            // it holds a credential: owner-only, as kubectl keeps ~/.kube/config
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceAccountIdentity(namespace, name, token, file);
    }

    /** The user name the API server gives this identity (what the audit log records). */
    public String username() {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** A new client read from the kubeconfig, as {@code archscaler run} reads the current one; the caller closes it. */
    public KubernetesClient newClient() {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        // never the token
        return "ServiceAccountIdentity[" + username() + ", " + kubeconfig + "]";
    }
}
