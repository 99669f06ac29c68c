package io.archscaler.e2e;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus Operator's and cert-manager's kinds the manifests use (ServiceMonitor,
 * PrometheusRule, Certificate, Issuer), as minimal CRDs written after theirs
 * (src/test/resources/e2e/crds), applied and established so the API server judges those objects
 * by their schema.
 */
final class OperatorCrds {
    private static final List<String> FILES = List.of("monitoring.coreos.com_servicemonitors.yaml",
            "monitoring.coreos.com_prometheusrules.yaml", "cert-manager.io_certificates.yaml", "cert-manager.io_issuers.yaml");

    private OperatorCrds() {
    }

    /** Applies every CRD (server-side, as {@code fieldManager}) and waits until each is established. */
    static void install(KubernetesClient client, String fieldManager) {
        for (String file : FILES) {
            try (InputStream in = OperatorCrds.class.getResourceAsStream("/e2e/crds/" + file)) {
                assertThat(in).as("test resource e2e/crds/" + file).isNotNull();
                CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                client.resource(crd).fieldManager(fieldManager).forceConflicts().serverSideApply();
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(OperatorCrds::established, 60, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
