package io.archscaler.observability;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No drift between the two ways to install: {@code helm template archscaler charts/archscaler -n
 * archscaler} with default values renders the objects {@code kubectl kustomize deploy/} renders,
 * field by field (kinds, names, RBAC rules, webhook rules, containers, probes, the config), except
 * for the differences named in this class, each one by design.
 */
class ChartMatchesKustomizeTest {
    /** Labels helm's charts carry and deploy/ has no use for; selectors also carry the instance, so two releases never select each other's pods. */
    private static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/instance",
            "app.kubernetes.io/managed-by", "app.kubernetes.io/version");
    /** The chart names every object; deploy/ leaves the name label off its generated ConfigMaps and webhook objects. */
    private static final String NAME_LABEL = "app.kubernetes.io/name";
    /** The pod template's checksum of the config: the chart's way to roll the pods on a new config (deploy/ renames the ConfigMap instead). */
    private static final String CHECKSUM_ANNOTATION = "checksum/config";
    /** kustomize's configMapGenerator appends a hash of the content to the config ConfigMap's name. */
    private static final Pattern HASHED_CONFIG = Pattern.compile("archscaler-config-[a-z0-9]{10}");
    private static final String CERT_MANAGER_INJECT = "cert-manager.io/inject-ca-from";

    /**
     * Objects deploy/ has and the chart's defaults leave out: helm creates the namespace
     * ({@code --create-namespace}, without Pod Security labels); the Prometheus Operator's objects are
     * off by default (the CRDs may be missing); the webhook's certificate is made at install instead of
     * by cert-manager.
     */
    private static final Set<String> ONLY_IN_KUSTOMIZE_BY_DEFAULT = Set.of("Namespace archscaler",
            "ServiceMonitor archscaler", "PrometheusRule archscaler", "Issuer archscaler-selfsigned",
            "Certificate archscaler-webhook");
    /** The certificate and CA helm makes at install (webhook.certManager.enabled false). */
    private static final Set<String> ONLY_IN_CHART_BY_DEFAULT = Set.of("Secret archscaler-webhook-tls");

    @Test
    void theDefaultValuesRenderDeployWithTheDifferencesByDesign() throws Exception {
        Map<String, Map<String, Object>> chart = byKindAndName(Helm.template("archscaler", "archscaler", List.of()));
        Map<String, Map<String, Object>> kustomize = byKindAndName(Rendered.of("deploy"));

        assertOnlyIn(kustomize, chart, ONLY_IN_KUSTOMIZE_BY_DEFAULT);
        assertOnlyIn(chart, kustomize, ONLY_IN_CHART_BY_DEFAULT);

        // by design: the caBundle is the CA helm made, not one cert-manager's cainjector injects
        Map<String, Object> hook = chart.get("MutatingWebhookConfiguration archscaler-placement");
        Map<String, Object> clientConfig = Rendered.path(Rendered.<List<Map<String, Object>>>path(hook, "webhooks").get(0), "clientConfig");
        String caBundle = (String) clientConfig.remove("caBundle");
        assertThat(caBundle).isEqualTo(Rendered.path(chart.get("Secret archscaler-webhook-tls"), "data", "ca.crt"));
        Map<String, Object> kustomizeHook = kustomize.get("MutatingWebhookConfiguration archscaler-placement");
        assertThat(Rendered.<Map<String, Object>>path(kustomizeHook, "metadata", "annotations").remove(CERT_MANAGER_INJECT))
                .isEqualTo("archscaler/archscaler-webhook");
        Rendered.<Map<String, Object>>path(kustomizeHook, "metadata").remove("annotations");

        assertSameObjects(chart, kustomize);
    }

    @Test
    void withTheMonitoringAndCertManagerOnOnlyTheNamespaceIsMissing() throws Exception {
        Map<String, Map<String, Object>> chart = byKindAndName(Helm.template("archscaler", "archscaler", List.of(),
                "--set", "serviceMonitor.enabled=true,prometheusRule.enabled=true,webhook.certManager.enabled=true"));
        Map<String, Map<String, Object>> kustomize = byKindAndName(Rendered.of("deploy"));

        assertOnlyIn(kustomize, chart, Set.of("Namespace archscaler"));
        assertOnlyIn(chart, kustomize, Set.of());
        assertSameObjects(chart, kustomize);
    }

    /** The chart's copies of files it shares with deploy/ and grafana/ are byte for byte their sources (tools/helm/sync-chart-files). */
    @Test
    void theChartsCopiesOfSharedFilesAreTheirSources() throws Exception {
        Path files = Helm.chart().resolve("files");
        Map<Path, Path> copies = new LinkedHashMap<>();
        copies.put(RepoFiles.alertRules(), files.resolve("prometheusrule.yaml"));
        for (Path dashboard : RepoFiles.dashboards()) {
            copies.put(dashboard, files.resolve("dashboards").resolve(dashboard.getFileName()));
        }
        assertThat(RepoFiles.files(files.resolve("dashboards"))).as("the chart's dashboards, one per file of grafana/")
                .hasSameSizeAs(RepoFiles.dashboards());
        copies.forEach((source, copy) -> assertThat(Files.exists(copy) ? RepoFiles.read(copy) : null)
                .as(copy + " is a copy of " + source + ": run tools/helm/sync-chart-files").isEqualTo(RepoFiles.read(source)));
    }

    /**
     * The objects both render are equal once the differences by design are taken out: helm's labels
     * (wherever they are: labels, selectors, the pod template, anti-affinity), the name label where
     * deploy/ has none, the config's hash suffix and checksum, the config's formatting, and the
     * Deployment's priority class and node affinity (chart values with no counterpart in deploy/).
     */
    private static void assertSameObjects(Map<String, Map<String, Object>> chart, Map<String, Map<String, Object>> kustomize) {
        Map<String, Object> pod = Rendered.path(chart.get("Deployment archscaler"), "spec", "template", "spec");
        assertThat(pod.remove("priorityClassName")).isEqualTo("system-cluster-critical");
        Map<String, Object> affinity = Rendered.path(pod, "affinity");
        assertThat(String.valueOf(affinity.remove("nodeAffinity")))
                .isEqualTo("{requiredDuringSchedulingIgnoredDuringExecution={nodeSelectorTerms=[{matchExpressions="
                        + "[{key=archscaler.io/node-group, operator=DoesNotExist}]}]}}");
        assertThat(Rendered.<Map<String, Object>>path(chart.get("Deployment archscaler"), "spec", "template", "metadata",
                "annotations").remove(CHECKSUM_ANNOTATION)).as("the config's checksum").isNotNull();

        Set<String> both = new TreeSet<>(chart.keySet());
        both.retainAll(kustomize.keySet());
        assertThat(both).as("objects both render").hasSizeGreaterThanOrEqualTo(12);
        for (String key : both) {
            Map<String, Object> fromChart = chart.get(key);
            Map<String, Object> fromKustomize = kustomize.get(key);
            Map<String, Object> kustomizeLabels = Rendered.path(fromKustomize, "metadata", "labels");
            if (kustomizeLabels == null || !kustomizeLabels.containsKey(NAME_LABEL)) {
                Rendered.<Map<String, Object>>path(fromChart, "metadata", "labels").remove(NAME_LABEL);
            }
            assertThat(fromChart).as(key + " (chart, then kustomize)").isEqualTo(fromKustomize);
        }
    }

    private static void assertOnlyIn(Map<String, ?> in, Map<String, ?> notIn, Set<String> expected) {
        Set<String> only = new TreeSet<>(in.keySet());
        only.removeAll(notIn.keySet());
        assertThat(only).as("objects only one side renders, each by design").containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The objects by "Kind name", normalized: helm's labels out, the config's hash suffix out, config.yaml parsed. */
    private static Map<String, Map<String, Object>> byKindAndName(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> object : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> normalized = (Map<String, Object>) normalize(object);
            Map<String, Object> data = Rendered.path(normalized, "data");
            if (data != null && data.get("config.yaml") instanceof String config) {
                data.put("config.yaml", new Yaml().load(config));
            }
            String key = normalized.get("kind") + " " + Rendered.path(normalized, "metadata", "name");
            assertThat(out.put(key, normalized)).as("rendered twice: " + key).isNull();
        }
        return out;
    }

    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!HELM_LABELS.contains(String.valueOf(k))) {
                    out.put(String.valueOf(k), normalize(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(normalize(v)));
            return out;
        }
        if (value instanceof String s && HASHED_CONFIG.matcher(s).matches()) {
            return "archscaler-config";
        }
        return value;
    }
}
