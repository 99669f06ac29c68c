package io.archscaler.e2e;

import io.archscaler.controlplane.ControlPlane;
import io.archscaler.observability.Helm;
import io.archscaler.observability.Rendered;
import io.archscaler.observability.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code helm install} of charts/archscaler into the real control plane, with the default values and
 * each values file of the chart's ci/ directory: helm applies every object server-side (so the API
 * server's validation and schemas judge each one, unknown fields refused), every object of the
 * release's manifest is then read back from the API server, and {@code helm uninstall} removes them
 * all. The Prometheus Operator's and cert-manager's kinds are judged by the minimal CRDs
 * ManifestsAreAcceptedE2E uses. Each release has its own name and namespace, so nothing collides
 * with deploy/'s objects other end-to-end tests apply.
 */
@ExtendWith(SharedControlPlane.class)
class HelmInstallE2E {
    private static ControlPlane controlPlane;
    private static KubernetesClient client;

    @BeforeAll
    static void installCrds(ControlPlane shared) {
        controlPlane = shared;
        client = shared.newClient();
        OperatorCrds.install(client, "archscaler-e2e");
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "eks-values.yaml", "clusterapi-values.yaml", "minimal-values.yaml"})
    void everyObjectOfTheReleaseIsAcceptedAndUninstallRemovesThem(String values) throws Exception {
        String release = "e2e-" + values.replace("-values.yaml", "");
        String namespace = "helm-" + release;
        List<String> valuesArgs = values.equals("defaults") ? List.of() : List.of("--values", Helm.ciValues(values).toString());

        helm(join(List.of("install", release, Helm.chart().toString(), "--namespace", namespace, "--create-namespace"), valuesArgs));
        List<GenericKubernetesResource> manifest = manifest(release, namespace);
        try {
            assertThat(manifest).as("objects of release " + release).hasSizeGreaterThanOrEqualTo(8);
            List<String> missing = manifest.stream().filter(o -> client.resource(o).get() == null).map(HelmInstallE2E::id).toList();
            assertThat(missing).as("objects helm installed that the API server does not have").isEmpty();
            // the API server defaulted what it stored: it took the Deployment as a Deployment, not as text
            Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(release + "-archscaler").get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
            assertThat(helm(List.of("status", release, "--namespace", namespace))).contains("STATUS: deployed");
        } finally {
            helm(List.of("uninstall", release, "--namespace", namespace, "--wait"));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(manifest.stream()
                .filter(o -> client.resource(o).get() != null).map(HelmInstallE2E::id).toList())
                .as("objects left after helm uninstall").isEmpty());
        client.namespaces().withName(namespace).delete();
    }

    @Test
    void anUpgradeKeepsTheCertificateMadeAtInstall() throws Exception {
        String release = "e2e-upgrade";
        String namespace = "helm-" + release;
        helm(List.of("install", release, Helm.chart().toString(), "--namespace", namespace, "--create-namespace"));
        try {
            Secret before = client.secrets().inNamespace(namespace).withName(release + "-archscaler-webhook-tls").get();
            String caBundle = caBundle(release);
            assertThat(caBundle).isEqualTo(before.getData().get("ca.crt"));

            helm(List.of("upgrade", release, Helm.chart().toString(), "--namespace", namespace, "--set", "replicas=3"));

            Secret after = client.secrets().inNamespace(namespace).withName(release + "-archscaler-webhook-tls").get();
            assertThat(after.getData()).as("the CA and certificate of the first install").isEqualTo(before.getData());
            assertThat(caBundle(release)).isEqualTo(caBundle);
            assertThat(client.apps().deployments().inNamespace(namespace).withName(release + "-archscaler").get()
                    .getSpec().getReplicas()).isEqualTo(3);
        } finally {
            helm(List.of("uninstall", release, "--namespace", namespace, "--wait"));
            client.namespaces().withName(namespace).delete();
        }
    }

    private static String caBundle(String release) {
        MutatingWebhookConfiguration hook = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(release + "-archscaler-placement").get();
        return hook.getWebhooks().get(0).getClientConfig().getCaBundle();
    }

    /** The objects helm recorded for the release, as the API server's client reads them. */
    private static List<GenericKubernetesResource> manifest(String release, String namespace) throws Exception {
        String yaml = helm(List.of("get", "manifest", release, "--namespace", namespace));
        return Rendered.parse(yaml).stream().map(HelmInstallE2E::resource).toList();
    }

    /** Runs helm against the control plane's admin kubeconfig; a failure fails the test with helm's words. */
    private static String helm(List<String> args) throws Exception {
        Tools.Result r = Helm.run(join(args, List.of("--kubeconfig", controlPlane.kubeconfig().toString())));
        assertThat(r.exitCode()).as("helm " + args + ": " + r.output()).isZero();
        return r.stdout();
    }

    private static List<String> join(List<String> first, List<String> second) {
        List<String> out = new ArrayList<>(first);
        out.addAll(second);
        return out;
    }

    private static GenericKubernetesResource resource(Map<String, Object> rendered) {
        return client.getKubernetesSerialization().convertValue(rendered, GenericKubernetesResource.class);
    }

    private static String id(GenericKubernetesResource o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
    }
}
