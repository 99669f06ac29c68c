package io.archscaler.observability;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.ProviderType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint} and {@code helm template} of charts/archscaler with its default values and each values file of its ci/ directory. */
class HelmChartTest {
    private static final List<String> RBAC_KINDS = List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "eks-values.yaml", "clusterapi-values.yaml", "minimal-values.yaml"})
    void lintsCleanlyInStrictMode(String valuesFile) throws Exception {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", Helm.chart().toString()));
        if (!valuesFile.isEmpty()) {
            args.addAll(List.of("--values", Helm.ciValues(valuesFile).toString()));
        }
        Tools.Result r = Helm.run(args);

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @Test
    void theDefaultsMakeTheWebhooksCertificateAtInstallAndTrustItsCa() throws Exception {
        List<Map<String, Object>> objects = Helm.template("archscaler", "archscaler", List.of());

        Map<String, Object> secret = Rendered.one(objects, "Secret", "archscaler-webhook-tls");
        assertThat(secret.get("type")).isEqualTo("kubernetes.io/tls");
        X509Certificate ca = certificate(Rendered.path(secret, "data", "ca.crt"));
        X509Certificate serving = certificate(Rendered.path(secret, "data", "tls.crt"));
        serving.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).as("the CA may sign").isGreaterThanOrEqualTo(0);
        assertThat(dnsNames(serving)).containsExactly("archscaler-webhook.archscaler.svc", "archscaler-webhook.archscaler.svc.cluster.local");
        assertThat(Rendered.<String>path(secret, "data", "tls.key")).isNotBlank();
        Map<String, Object> webhook = webhooks(objects).get(0);
        assertThat(Rendered.<String>path(webhook, "clientConfig", "caBundle")).isEqualTo(Rendered.path(secret, "data", "ca.crt"));
        assertThat(Rendered.all(objects, "Certificate")).isEmpty();

        ArchscalerConfig config = config(objects);
        assertThat(config.webhook().certFile()).contains(Path.of("/tls/tls.crt"));
        assertThat(config.webhook().port()).isEqualTo(8443);
        assertThat(Rendered.kinds(objects)).doesNotContain("ServiceMonitor", "PrometheusRule", "Namespace");
        Map<String, Object> pod = podSpec(objects);
        assertThat(pod.get("priorityClassName")).isEqualTo("system-cluster-critical");
        assertThat(Rendered.<Integer>path(deployment(objects), "spec", "replicas")).isEqualTo(2);
        assertThat(Rendered.one(objects, "PodDisruptionBudget", "archscaler")).isNotNull();
    }

    @Test
    void theEksValuesTurnOnIrsaMonitoringCertManagerAndKeepTheControllerOffTheManagedGroups() throws Exception {
        List<Map<String, Object>> objects = Helm.template("archscaler", "archscaler", List.of(Helm.ciValues("eks-values.yaml")));

        assertThat(Rendered.<String>path(Rendered.one(objects, "ServiceAccount", "archscaler"), "metadata", "annotations",
                "eks.amazonaws.com/role-arn")).matches("arn:aws:iam::[0-9]{12}:role/.+");
        Map<String, Object> monitor = Rendered.one(objects, "ServiceMonitor", "archscaler");
        assertThat(Rendered.<Map<String, String>>path(monitor, "metadata", "labels")).containsEntry("release", "kube-prometheus-stack");
        Map<String, Object> rule = Rendered.one(objects, "PrometheusRule", "archscaler");
        assertThat(Rendered.<Map<String, String>>path(rule, "metadata", "labels")).containsEntry("release", "kube-prometheus-stack");
        Map<String, Object> deployRule = new Yaml().load(RepoFiles.read(RepoFiles.alertRules()));
        assertThat(Rendered.<Object>path(rule, "spec", "groups")).as("the alerts of deploy/base/prometheusrule.yaml")
                .isEqualTo(Rendered.path(deployRule, "spec", "groups"));

        Map<String, Object> certificate = Rendered.one(objects, "Certificate", "archscaler-webhook");
        assertThat(Rendered.<String>path(certificate, "spec", "secretName")).isEqualTo("archscaler-webhook-tls");
        assertThat(Rendered.one(objects, "Issuer", "archscaler-selfsigned")).isNotNull();
        Map<String, Object> hook = Rendered.all(objects, "MutatingWebhookConfiguration").get(0);
        assertThat(Rendered.<String>path(hook, "metadata", "annotations", "cert-manager.io/inject-ca-from"))
                .isEqualTo("archscaler/archscaler-webhook");
        assertThat(Rendered.<Object>path(webhooks(objects).get(0), "clientConfig", "caBundle")).isNull();
        assertThat(Rendered.all(objects, "Secret")).isEmpty();

        Map<String, Object> pod = podSpec(objects);
        assertThat(String.valueOf(Rendered.<Object>path(pod, "affinity", "nodeAffinity")))
                .contains("key=archscaler.io/node-group, operator=DoesNotExist")
                .contains("key=eks.amazonaws.com/nodegroup, operator=NotIn, values=[arm-general, x86-general]");
        List<Map<String, Object>> required = Rendered.path(pod, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution");
        assertThat(required).singleElement().satisfies(term -> assertThat(Rendered.<Map<String, String>>path(term, "labelSelector", "matchLabels"))
                .as("the chart's selector labels, filled in").containsEntry("app.kubernetes.io/name", "archscaler")
                .containsEntry("app.kubernetes.io/instance", "archscaler"));
        assertThat(Rendered.<List<Map<String, Object>>>path(pod, "tolerations")).extracting(t -> t.get("key")).containsExactly("CriticalAddonsOnly");
        assertThat(Rendered.<List<Map<String, Object>>>path(container(objects), "env")).extracting(e -> e.get("name"))
                .containsExactly("POD_NAME", "POD_NAMESPACE", "JAVA_TOOL_OPTIONS", "AWS_STS_REGIONAL_ENDPOINTS");
        ArchscalerConfig config = config(objects);
        assertThat(config.aws().region()).contains("eu-west-1");
        assertThat(config.nodeGroups()).allSatisfy(g -> assertThat(g.provider()).isEqualTo(ProviderType.EKS));
    }

    @Test
    void theClusterApiValuesGrantTheOverlaysClusterApiRulesAndCarryItsConfig() throws Exception {
        List<Map<String, Object>> objects = Helm.template("archscaler", "archscaler", List.of(Helm.ciValues("clusterapi-values.yaml")));
        List<Map<String, Object>> overlay = Rendered.of("deploy/overlays/clusterapi");

        List<Map<String, Object>> rules = Rendered.path(Rendered.one(objects, "ClusterRole", "archscaler-clusterapi"), "rules");
        List<Map<String, Object>> overlayRules = Rendered.path(Rendered.one(overlay, "ClusterRole", "archscaler-clusterapi"), "rules");
        assertThat(rules.subList(0, 3)).as("the cluster.x-k8s.io rules of rbac-clusterapi.yaml").isEqualTo(overlayRules.subList(0, 3));
        assertThat(rules.get(3)).isEqualTo(Map.of("apiGroups", List.of("infrastructure.cluster.x-k8s.io"),
                "resources", List.of("metal3machinetemplates"), "verbs", List.of("get", "list")));
        Map<String, Object> binding = Rendered.one(objects, "ClusterRoleBinding", "archscaler-clusterapi");
        assertThat(Rendered.<List<Map<String, Object>>>path(binding, "subjects")).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("name", "archscaler").containsEntry("namespace", "archscaler"));

        Map<String, Object> overlayConfig = Rendered.all(overlay, "ConfigMap").stream()
                .filter(c -> Rendered.<String>path(c, "metadata", "name").startsWith("archscaler-config-")).findFirst().orElseThrow();
        assertThat(configMap(objects)).as("the overlay's config.yaml")
                .isEqualTo(new Yaml().load(Rendered.<String>path(overlayConfig, "data", "config.yaml")));
        assertThat(config(objects).nodeGroups()).allSatisfy(g -> assertThat(g.provider()).isEqualTo(ProviderType.CLUSTERAPI));
        Map<String, Object> pod = podSpec(objects);
        assertThat(Rendered.<Map<String, String>>path(pod, "nodeSelector")).containsEntry("node-role.kubernetes.io/control-plane", "");
        assertThat(Rendered.<Object>path(container(objects), "resources", "limits", "memory")).isEqualTo("1536Mi");
    }

    @Test
    void theMinimalValuesRenderOneReplicaWithoutWebhookBudgetDashboardsOrPriority() throws Exception {
        List<Map<String, Object>> objects = Helm.template("archscaler", "archscaler", List.of(Helm.ciValues("minimal-values.yaml")));

        List<String> expected = new ArrayList<>(RBAC_KINDS);
        expected.addAll(List.of("ConfigMap", "Service", "Deployment"));
        assertThat(Rendered.kinds(objects)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Rendered.<Integer>path(deployment(objects), "spec", "replicas")).isEqualTo(1);
        Map<String, Object> pod = podSpec(objects);
        assertThat(pod).doesNotContainKeys("priorityClassName", "affinity", "nodeSelector", "tolerations");
        assertThat(Rendered.<List<Map<String, Object>>>path(container(objects), "ports")).extracting(p -> p.get("name")).containsExactly("http");
        assertThat(Rendered.<List<Map<String, Object>>>path(pod, "volumes")).extracting(v -> v.get("name")).containsExactly("config", "tmp");
        ArchscalerConfig config = config(objects);
        assertThat(config.leaderElection().enabled()).isFalse();
        assertThat(config.nodeGroups()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("arm"));
    }

    @Test
    void anotherReleaseAndNamespaceNameEveryObjectAfterThem() throws Exception {
        List<Map<String, Object>> objects = Helm.template("shop", "platform", List.of());

        assertThat(objects).allSatisfy(o -> assertThat(Rendered.<String>path(o, "metadata", "name")).startsWith("shop-archscaler"));
        objects.stream().filter(o -> !List.of("ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration").contains(o.get("kind")))
                .forEach(o -> assertThat(Rendered.<String>path(o, "metadata", "namespace")).as(o.get("kind") + " namespace").isEqualTo("platform"));
        Map<String, Object> webhook = webhooks(objects).get(0);
        assertThat(Rendered.<String>path(webhook, "clientConfig", "service", "name")).isEqualTo("shop-archscaler-webhook");
        assertThat(Rendered.<String>path(webhook, "clientConfig", "service", "namespace")).isEqualTo("platform");
        assertThat(String.valueOf(Rendered.<Object>path(webhook, "namespaceSelector"))).contains("values=[kube-system, platform]");
        assertThat(Rendered.<List<Map<String, Object>>>path(Rendered.one(objects, "ClusterRoleBinding", "shop-archscaler"), "subjects"))
                .singleElement().satisfies(s -> assertThat(s).containsEntry("name", "shop-archscaler").containsEntry("namespace", "platform"));
        X509Certificate serving = certificate(Rendered.path(Rendered.one(objects, "Secret", "shop-archscaler-webhook-tls"), "data", "tls.crt"));
        assertThat(dnsNames(serving)).contains("shop-archscaler-webhook.platform.svc");
        // the Lease keeps the config's name: the Role grants exactly that one
        assertThat(String.valueOf(Rendered.rules(List.of(Rendered.one(objects, "Role", "shop-archscaler")))))
                .contains("resourceNames=[archscaler]");
    }

    @Test
    void aWebhookWithoutItsCertificateFilesIsRefusedWithWhatToSet() throws Exception {
        assertThat(Helm.templateFailure(List.of(), "--set", "config.webhook=null"))
                .contains("webhook.enabled is true but config.webhook lacks port, certFile or keyFile");
        assertThat(Helm.templateFailure(List.of(), "--set", "webhook.enabled=false"))
                .contains("config.webhook names certificate files but webhook.enabled is false");
    }

    private static List<Map<String, Object>> webhooks(List<Map<String, Object>> objects) {
        return Rendered.path(Rendered.all(objects, "MutatingWebhookConfiguration").get(0), "webhooks");
    }

    private static Map<String, Object> deployment(List<Map<String, Object>> objects) {
        return Rendered.all(objects, "Deployment").get(0);
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> objects) {
        return Rendered.path(deployment(objects), "spec", "template", "spec");
    }

    private static Map<String, Object> container(List<Map<String, Object>> objects) {
        return Rendered.<List<Map<String, Object>>>path(podSpec(objects), "containers").get(0);
    }

    /** The config.yaml the Deployment mounts, as YAML. */
    private static Map<String, Object> configMap(List<Map<String, Object>> objects) {
        String name = Rendered.<List<Map<String, Object>>>path(podSpec(objects), "volumes").stream()
                .filter(v -> "config".equals(v.get("name"))).map(v -> Rendered.<String>path(v, "configMap", "name")).findFirst().orElseThrow();
        return new Yaml().load(Rendered.<String>path(Rendered.one(objects, "ConfigMap", name), "data", "config.yaml"));
    }

    /** That config.yaml as Archscaler reads it at start (a config it refuses fails the test with its message). */
    private static ArchscalerConfig config(List<Map<String, Object>> objects) {
        return ConfigLoader.standard().parse(new Yaml().dump(configMap(objects)), "chart config.yaml");
    }

    private static List<String> dnsNames(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    }

    private static X509Certificate certificate(String base64Pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }
}
