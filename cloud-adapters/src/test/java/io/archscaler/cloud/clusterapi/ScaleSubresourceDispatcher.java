package io.archscaler.cloud.clusterapi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's CRUD dispatcher with the {@code /scale} subresource of custom resources added, as
 * the API server serves it for CRDs declaring {@code subresources.scale} (Cluster API's do, with
 * specReplicasPath {@code .spec.replicas}). The CRUD dispatcher alone does not serve it: it
 * drops {@code /scale} from the path, so a GET returns the whole MachineDeployment and a PUT
 * overwrites the stored MachineDeployment with the Scale body. Here GET answers an
 * {@code autoscaling/v1} Scale, and PUT checks the resourceVersion (409 on a stale one) and
 * writes only spec.replicas of the stored object, through the CRUD store.
 */
public final class ScaleSubresourceDispatcher extends KubernetesCrudDispatcher {
    private static final String SCALE = "/scale";
    private final KubernetesSerialization json = new KubernetesSerialization();

    public ScaleSubresourceDispatcher() {
        super(Collections.emptyList());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (!plain.endsWith(SCALE)) {
            return super.dispatch(request);
        }
        String parentPath = plain.substring(0, plain.length() - SCALE.length());
        MockResponse current = handleGet(parentPath);
        if (current.code() != 200) {
            return current;
        }
        GenericKubernetesResource parent = json.unmarshal(current.getBody().readUtf8(), GenericKubernetesResource.class);
        return switch (request.getMethod()) {
            case "GET" -> answer(200, scaleOf(parent));
            case "PUT" -> put(request, parentPath, parent);
            default -> answer(405, new StatusBuilder().withCode(405).withMessage("method not allowed on /scale").build());
        };
    }

    private MockResponse put(RecordedRequest request, String parentPath, GenericKubernetesResource parent) {
        // read the bytes without draining them, so the recorded request keeps its body for the test's assertions
        Scale wanted = json.unmarshal(new String(request.getBody().getBytes(), StandardCharsets.UTF_8), Scale.class);
        String rv = wanted.getMetadata() == null ? null : wanted.getMetadata().getResourceVersion();
        if (rv != null && !rv.equals(parent.getMetadata().getResourceVersion())) {
            return answer(409, new StatusBuilder().withCode(409).withReason("Conflict")
                    .withMessage("the object has been modified; please apply your changes to the latest version")
                    .build());
        }
        Map<String, Object> spec = new HashMap<>(parent.get("spec") instanceof Map<?, ?> m ? castMap(m) : Map.of());
        spec.put("replicas", wanted.getSpec().getReplicas());
        parent.setAdditionalProperty("spec", spec);
        RecordedRequest update = new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, parentPath,
                request.getHeaders(), new Buffer().writeUtf8(json.asJson(parent)));
        MockResponse updated = handleUpdate(update);
        if (updated.code() != 200) {
            return updated;
        }
        return answer(200, scaleOf(json.unmarshal(updated.getBody().readUtf8(), GenericKubernetesResource.class)));
    }

    private static Scale scaleOf(GenericKubernetesResource parent) {
        Object replicas = parent.get("spec", "replicas");
        Object statusReplicas = parent.get("status", "replicas");
        return new ScaleBuilder()
                .withNewMetadata()
                .withName(parent.getMetadata().getName())
                .withNamespace(parent.getMetadata().getNamespace())
                .withResourceVersion(parent.getMetadata().getResourceVersion())
                .withUid(parent.getMetadata().getUid())
                .endMetadata()
                .withNewSpec().withReplicas(replicas instanceof Number n ? n.intValue() : 0).endSpec()
                .withNewStatus().withReplicas(statusReplicas instanceof Number n ? n.intValue() : 0).endStatus()
                .build();
    }

    private MockResponse answer(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(json.asJson(body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
