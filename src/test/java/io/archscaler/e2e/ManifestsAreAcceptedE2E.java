package io.archscaler.e2e;

import io.archscaler.controlplane.ControlPlane;
import io.archscaler.observability.Rendered;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every object {@code kubectl kustomize} renders from {@code deploy/} is accepted by a real API
 * server: a server-side apply in dry-run mode, so the API server's own validation, defaulting and
 * schema (unknown fields refused) judge each one without changing the cluster. The Prometheus
 * Operator's and cert-manager's kinds are judged by minimal CRDs written after theirs
 * (src/test/resources/e2e/crds).
 */
@ExtendWith(SharedControlPlane.class)
class ManifestsAreAcceptedE2E {
    private static final String MANAGER = "archscaler-e2e";

    private static KubernetesClient client;

    @BeforeAll
    static void installCrds(ControlPlane controlPlane) {
        client = controlPlane.newClient();
        OperatorCrds.install(client, MANAGER);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deploy", "deploy/overlays/eks", "deploy/overlays/clusterapi", "deploy/prometheus-adapter"})
    void everyRenderedObjectIsAcceptedByTheApiServer(String dir) throws Exception {
        List<GenericKubernetesResource> objects = Rendered.of(dir).stream().map(ManifestsAreAcceptedE2E::resource).toList();
        assertThat(objects).as("objects rendered from " + dir).isNotEmpty();
        createNamespacesOf(objects);

        List<String> refused = new ArrayList<>();
        List<String> createdByDryRun = new ArrayList<>();
        for (GenericKubernetesResource object : objects) {
            boolean existed = "Namespace".equals(object.getKind()) || client.resource(object).get() != null;
            try {
                HasMetadata answer = client.resource(object).dryRun().fieldManager(MANAGER).forceConflicts().serverSideApply();
                assertThat(answer.getKind()).isEqualTo(object.getKind());
                assertThat(answer.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
            } catch (KubernetesClientException e) {
                refused.add(id(object) + ": " + e.getCode() + " " + e.getMessage());
            }
            if (!existed && client.resource(object).get() != null) {
                createdByDryRun.add(id(object));
            }
        }

        assertThat(refused).as("objects of " + dir + " the API server refused").isEmpty();
        assertThat(createdByDryRun).as("a dry run must leave the cluster unchanged").isEmpty();
    }

    @Test
    void aFieldTheSchemaDoesNotDeclareIsRefused() throws Exception {
        GenericKubernetesResource monitor = Rendered.of("deploy").stream().map(ManifestsAreAcceptedE2E::resource)
                .filter(o -> "ServiceMonitor".equals(o.getKind())).findFirst().orElseThrow();
        createNamespacesOf(List.of(monitor));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        endpoint.put("intervall", "30s");

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> client.resource(monitor).dryRun().fieldManager(MANAGER).forceConflicts().serverSideApply());

        assertThat(e).as("a misspelt field must be refused").isNotNull();
        assertThat(e.getMessage()).contains("intervall");
    }

    /** Namespaced objects can be dry-run only into a namespace that exists: create those they name, for real. */
    private static void createNamespacesOf(List<GenericKubernetesResource> objects) {
        Set<String> namespaces = new LinkedHashSet<>();
        objects.stream().filter(o -> "Namespace".equals(o.getKind())).forEach(o -> namespaces.add(o.getMetadata().getName()));
        objects.stream().map(o -> o.getMetadata().getNamespace()).filter(n -> n != null && !n.isEmpty()).forEach(namespaces::add);
        for (String namespace : namespaces) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .fieldManager(MANAGER).serverSideApply();
        }
    }

    private static GenericKubernetesResource resource(Map<String, Object> rendered) {
        return client.getKubernetesSerialization().convertValue(rendered, GenericKubernetesResource.class);
    }

    private static String id(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
    }
}
