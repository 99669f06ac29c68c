package io.archscaler.sandbox;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Collections;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher with the pod eviction subresource served as the API server serves
 * it: a {@code POST .../pods/NAME/eviction} deletes the pod unless a PodDisruptionBudget that
 * selects it allows no disruption, in which case it answers 429. The CRUD dispatcher alone would
 * store the Eviction as an object and leave the pod running.
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern EVICTION = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(\\?.*)?$");
    private final KubernetesSerialization json = new KubernetesSerialization();

    SandboxDispatcher() {
        super(Collections.emptyList());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Matcher m = EVICTION.matcher(request.getPath());
        if (!"POST".equals(request.getMethod().toString()) || !m.matches()) {
            return super.dispatch(request);
        }
        String ns = m.group(1);
        String podPath = "/api/v1/namespaces/" + ns + "/pods/" + m.group(2);
        MockResponse current = handleGet(podPath);
        if (current.code() != 200) {
            return status(404, "NotFound", "pods \"" + m.group(2) + "\" not found");
        }
        Pod pod = json.unmarshal(current.getBody().readUtf8(), Pod.class);
        PodDisruptionBudget blocking = blockingBudget(ns, pod);
        if (blocking != null) {
            return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget "
                    + blocking.getMetadata().getName() + ".");
        }
        handleDelete(podPath);
        return status(201, null, null);
    }

    /** The budget that forbids evicting the pod now, or null. */
    private PodDisruptionBudget blockingBudget(String ns, Pod pod) {
        MockResponse list = handleGet("/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets");
        if (list.code() != 200) {
            return null;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (PodDisruptionBudget pdb : json.unmarshal(list.getBody().readUtf8(), PodDisruptionBudgetList.class).getItems()) {
            if (selects(pdb.getSpec().getSelector(), labels) && allowedDisruptions(ns, pdb) <= 0) {
                return pdb;
            }
        }
        return null;
    }

    /** status.disruptionsAllowed when set (a disruption controller's word), else from the spec. */
    private int allowedDisruptions(String ns, PodDisruptionBudget pdb) {
        if (pdb.getStatus() != null && pdb.getStatus().getDisruptionsAllowed() != null) {
            return pdb.getStatus().getDisruptionsAllowed();
        }
        int healthy = 0;
        MockResponse pods = handleGet("/api/v1/namespaces/" + ns + "/pods");
        if (pods.code() == 200) {
            for (Pod p : json.unmarshal(pods.getBody().readUtf8(), PodList.class).getItems()) {
                Map<String, String> l = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
                if (selects(pdb.getSpec().getSelector(), l) && p.getSpec().getNodeName() != null) {
                    healthy++;
                }
            }
        }
        if (pdb.getSpec().getMinAvailable() != null && pdb.getSpec().getMinAvailable().getIntVal() != null) {
            return healthy - pdb.getSpec().getMinAvailable().getIntVal();
        }
        if (pdb.getSpec().getMaxUnavailable() != null && pdb.getSpec().getMaxUnavailable().getIntVal() != null) {
            return pdb.getSpec().getMaxUnavailable().getIntVal();
        }
        return 1;
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private MockResponse status(int code, String reason, String message) {
        Status s = new StatusBuilder().withStatus(code < 300 ? "Success" : "Failure").withCode(code)
                .withReason(reason).withMessage(message).build();
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(json.asJson(s));
    }
}
