package io.archscaler.observability;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.ProviderType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kubectl kustomize} renders the base, each overlay and the adapter rules; what they render is checked. */
class KustomizeRenderTest {
    @ParameterizedTest
    @ValueSource(strings = {"deploy", "deploy/overlays/eks", "deploy/overlays/clusterapi", "deploy/prometheus-adapter"})
    void rendersCleanly(String dir) throws Exception {
        List<Map<String, Object>> objects = Rendered.of(dir);

        assertThat(objects).isNotEmpty();
        assertThat(objects).allSatisfy(o -> assertThat(o).containsKeys("apiVersion", "kind", "metadata"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "deploy/overlays/eks", "deploy/overlays/clusterapi"})
    void everyDeploymentHasWhatTheControllerNeeds(String dir) throws Exception {
        List<Map<String, Object>> objects = Rendered.of(dir);

        assertThat(Rendered.kinds(objects)).contains("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding",
                "Role", "RoleBinding", "Deployment", "PodDisruptionBudget", "Service", "ServiceMonitor",
                "PrometheusRule", "ConfigMap");
        assertThat(Rendered.all(objects, "Namespace")).extracting(o -> Rendered.<String>path(o, "metadata", "name"))
                .containsExactly("archscaler");
        objects.stream().filter(o -> !List.of("Namespace", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration").contains(o.get("kind")))
                .forEach(o -> assertThat(Rendered.<String>path(o, "metadata", "namespace")).as(o.get("kind") + " namespace")
                        .isEqualTo("archscaler"));

        Map<String, Object> deployment = Rendered.one(objects, "Deployment", "archscaler");
        assertThat(Rendered.<Integer>path(deployment, "spec", "replicas")).isEqualTo(2);
        Map<String, Object> pod = Rendered.path(deployment, "spec", "template", "spec");
        assertThat(Rendered.<Boolean>path(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat(Rendered.<String>path(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        Map<String, Object> container = Rendered.<List<Map<String, Object>>>path(pod, "containers").get(0);
        assertThat(Rendered.<Boolean>path(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat(Rendered.<Boolean>path(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat(Rendered.<List<String>>path(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
        assertThat(Rendered.<String>path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
        assertThat(Rendered.<String>path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
        assertThat(Rendered.<Map<String, Object>>path(container, "resources")).containsKeys("requests", "limits");
        assertThat(Rendered.<List<Map<String, Object>>>path(container, "env")).extracting(e -> e.get("name"))
                .contains("POD_NAME", "POD_NAMESPACE");
        assertThat(Rendered.<List<Map<String, Object>>>path(container, "volumeMounts")).extracting(v -> v.get("mountPath"))
                .contains("/tmp", "/etc/archscaler");
        assertThat(Rendered.<String>path(container, "image")).isEqualTo("ghcr.io/archscaler/archscaler:0.1.0");

        // the generated config ConfigMap is the one the Deployment mounts, and Archscaler accepts it
        String configMapName = Rendered.<List<Map<String, Object>>>path(pod, "volumes").stream()
                .filter(v -> "config".equals(v.get("name"))).map(v -> Rendered.<String>path(v, "configMap", "name"))
                .findFirst().orElseThrow();
        Map<String, Object> configMap = Rendered.one(objects, "ConfigMap", configMapName);
        ArchscalerConfig config = ConfigLoader.standard().parse(
                Rendered.<String>path(configMap, "data", "config.yaml"), dir + " config.yaml");
        assertThat(config.leaderElection().enabled()).isTrue();
        assertThat(config.leaderElection().leaseName()).isEqualTo("archscaler");
        assertThat(config.http().port()).isEqualTo(8080);
        ProviderType expected = dir.endsWith("clusterapi") ? ProviderType.CLUSTERAPI : ProviderType.EKS;
        assertThat(config.nodeGroups()).allSatisfy(g -> assertThat(g.provider()).isEqualTo(expected));
    }

    @Test
    void theEksOverlayAnnotatesTheServiceAccountWithAnIamRole() throws Exception {
        Map<String, Object> sa = Rendered.one(Rendered.of("deploy/overlays/eks"), "ServiceAccount", "archscaler");

        assertThat(Rendered.<String>path(sa, "metadata", "annotations", "eks.amazonaws.com/role-arn"))
                .matches("arn:aws:iam::[0-9]{12}:role/.+");
    }

    @Test
    void theClusterApiOverlayMayScaleMachineDeploymentsAndTheBaseMayNot() throws Exception {
        assertThat(Rendered.rules(Rendered.of("deploy"))).noneSatisfy(r ->
                assertThat(Rendered.<List<String>>path(r, "apiGroups")).contains("cluster.x-k8s.io"));

        List<Map<String, Object>> capi = Rendered.rules(Rendered.of("deploy/overlays/clusterapi"));
        assertThat(capi).anySatisfy(r -> {
            assertThat(Rendered.<List<String>>path(r, "apiGroups")).containsExactly("cluster.x-k8s.io");
            assertThat(Rendered.<List<String>>path(r, "resources")).contains("machinedeployments/scale");
            assertThat(Rendered.<List<String>>path(r, "verbs")).contains("update");
        });
    }

    @Test
    void theDashboardsConfigMapCarriesEveryDashboardForGrafanasSidecar() throws Exception {
        Map<String, Object> cm = Rendered.one(Rendered.of("deploy"), "ConfigMap", "archscaler-dashboards");

        assertThat(Rendered.<Map<String, String>>path(cm, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
        Map<String, String> data = Rendered.path(cm, "data");
        assertThat(data.keySet()).containsExactlyInAnyOrderElementsOf(
                RepoFiles.dashboards().stream().map(p -> p.getFileName().toString()).toList());
        for (Path file : RepoFiles.dashboards()) {
            assertThat(data.get(file.getFileName().toString())).isEqualTo(RepoFiles.read(file));
        }
    }

    @Test
    void theSampleHpaScalesADeploymentOnACustomMetric() throws Exception {
        Map<String, Object> hpa = Rendered.one(Rendered.of("deploy/prometheus-adapter"), "HorizontalPodAutoscaler", "checkout");

        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        Map<String, Object> metric = Rendered.<List<Map<String, Object>>>path(hpa, "spec", "metrics").get(0);
        assertThat(metric.get("type")).isEqualTo("Pods");
        assertThat(Rendered.<String>path(metric, "pods", "metric", "name")).isEqualTo("http_requests_per_second");
        assertThat(Rendered.<Map<String, String>>path(Rendered.one(Rendered.of("deploy/prometheus-adapter"), "ConfigMap",
                "adapter-config"), "data")).containsKey("config.yaml");
    }

    @org.junit.jupiter.api.Test
    void theBaseServesThePlacementWebhookOverTlsAndNeverBlocksPods() throws Exception {
        List<Map<String, Object>> objects = Rendered.of("deploy");
        Map<String, Object> hook = Rendered.all(objects, "MutatingWebhookConfiguration").get(0);
        List<Map<String, Object>> webhooks = Rendered.path(hook, "webhooks");
        assertThat(webhooks).singleElement().satisfies(w -> {
            assertThat(w.get("failurePolicy")).isEqualTo("Ignore");
            assertThat(w.get("sideEffects")).isEqualTo("None");
            assertThat(Rendered.<String>path(w, "clientConfig", "service", "path")).isEqualTo("/mutate-pods");
            assertThat(Rendered.<String>path(w, "clientConfig", "service", "namespace")).isEqualTo("archscaler");
            assertThat(String.valueOf(Rendered.<Object>path(w, "namespaceSelector")))
                    .contains("kube-system").contains("archscaler");
        });
        assertThat(Rendered.all(objects, "Service")).extracting(o -> Rendered.<String>path(o, "metadata", "name"))
                .contains("archscaler-webhook");
    }
}
