package io.archscaler.observability;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered RBAC: no wildcard, nothing beyond what the controller calls, and everything it does call. */
class RbacTest {
    @ParameterizedTest
    @ValueSource(strings = {"deploy", "deploy/overlays/eks", "deploy/overlays/clusterapi"})
    void noRuleUsesAWildcard(String dir) throws Exception {
        List<Map<String, Object>> rules = Rendered.rules(Rendered.of(dir));

        assertThat(rules).isNotEmpty();
        for (Map<String, Object> rule : rules) {
            for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                List<String> values = Rendered.path(rule, field);
                if (values != null) {
                    assertThat(values).as(field + " of " + rule).noneMatch(v -> v.contains("*"));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "deploy/overlays/eks", "deploy/overlays/clusterapi"})
    void theControllerMayDoWhatItDoesAndNoMore(String dir) throws Exception {
        List<Map<String, Object>> objects = Rendered.of(dir);
        List<Map<String, Object>> cluster = Rendered.rules(Rendered.all(objects, "ClusterRole"));
        List<Map<String, Object>> namespaced = Rendered.rules(Rendered.all(objects, "Role"));

        // the informers
        for (String r : List.of("pods", "nodes", "daemonsets", "poddisruptionbudgets", "horizontalpodautoscalers",
                "deployments", "statefulsets", "replicasets")) {
            assertThat(allows(cluster, r, "list") && allows(cluster, r, "watch")).as("list and watch " + r).isTrue();
        }
        // the actuator and the event recorder
        assertThat(allows(cluster, "pods/eviction", "create")).isTrue();
        assertThat(allows(cluster, "nodes", "patch")).isTrue();
        assertThat(allows(cluster, "events", "create")).isTrue();
        // the Lease and the status ConfigMap, in its own namespace only
        // fabric8's leader elector patches the Lease (RbacE2E reads it from a real API server's audit log)
        assertThat(allows(namespaced, "leases", "create") && allows(namespaced, "leases", "patch")).isTrue();
        assertThat(allows(namespaced, "configmaps", "create") && allows(namespaced, "configmaps", "update")).isTrue();
        assertThat(allows(cluster, "leases", "patch")).isFalse();
        assertThat(allows(cluster, "configmaps", "update")).isFalse();
        // and nothing it never does
        assertThat(allows(cluster, "secrets", "get") || allows(namespaced, "secrets", "get")).isFalse();
        assertThat(allows(cluster, "nodes", "delete")).isFalse();
        assertThat(allows(cluster, "pods", "delete")).isFalse();
        // updates of the Lease and the ConfigMap are limited to their names
        for (Map<String, Object> rule : namespaced) {
            List<String> verbs = Rendered.path(rule, "verbs");
            if (verbs.stream().anyMatch(v -> !v.equals("create"))) {
                assertThat(Rendered.<List<String>>path(rule, "resourceNames")).as(rule.toString())
                        .isNotEmpty().isSubsetOf("archscaler", "archscaler-status");
            }
        }
    }

    private static boolean allows(List<Map<String, Object>> rules, String resource, String verb) {
        return rules.stream().anyMatch(r -> Rendered.<List<String>>path(r, "resources").contains(resource)
                && Rendered.<List<String>>path(r, "verbs").contains(verb));
    }
}
