package io.archscaler.testing;

import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.scaledown.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher plus what it lacks for scale-down: the pod {@code eviction}
 * subresource (the mock otherwise stores a POST to it as a new object). As the API server does,
 * it refuses with 429 while the PodDisruptionBudget selecting the pod has
 * {@code status.disruptionsAllowed} below 1, refuses with 500 when several budgets select it,
 * and otherwise draws the budget down by one and deletes the pod. Pods not running are deleted
 * without looking at budgets. There is no disruption controller: budgets' status is as written.
 */
final class EvictingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern EVICTION = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(\\?.*)?$");

    private final KubernetesSerialization json = new KubernetesSerialization();
    /** Writes to refuse once each, by path prefix, with their status code. */
    private final Map<String, Integer> refuseOnce = new java.util.concurrent.ConcurrentHashMap<>();

    EvictingCrudDispatcher() {
        super(Collections.emptyList());
    }

    /** The next write (anything but GET) to a path starting with {@code pathPrefix} is refused with {@code code}. */
    void refuseNextWrite(String pathPrefix, int code) {
        refuseOnce.put(pathPrefix, code);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!"GET".equals(request.getMethod())) {
            for (String prefix : refuseOnce.keySet()) {
                Integer code = request.getPath().startsWith(prefix) ? refuseOnce.remove(prefix) : null;
                if (code != null) {
                    return status(code, "Forbidden", "refused once by the sandbox", null);
                }
            }
        }
        return super.dispatch(request);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        Matcher m = EVICTION.matcher(request.getPath());
        return m.matches() ? evict(m.group(1), m.group(2)) : super.handleCreate(request);
    }

    private synchronized MockResponse evict(String namespace, String name) {
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        MockResponse got = handleGet(podPath);
        if (got.code() != 200) {
            return status(404, "NotFound", "pods \"" + name + "\" not found", null);
        }
        Pod pod = json.unmarshal(got.getBody().readUtf8(), Pod.class);
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Running".equals(phase)) {
            MockResponse refused = drawDownBudget(namespace, pod);
            if (refused != null) {
                return refused;
            }
        }
        handleDelete(podPath);
        return status(201, null, null, null);
    }

    /** Null when the eviction may go ahead (the budget, if any, drawn down), else the refusal. */
    private MockResponse drawDownBudget(String namespace, Pod pod) {
        String listPath = "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets";
        MockResponse listed = handleGet(listPath);
        if (listed.code() != 200) {
            return null;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        List<PodDisruptionBudget> matching = json.unmarshal(listed.getBody().readUtf8(), PodDisruptionBudgetList.class)
                .getItems().stream().filter(b -> selects(b, labels)).toList();
        if (matching.size() > 1) {
            return status(500, "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", null);
        }
        if (matching.isEmpty()) {
            return null;
        }
        PodDisruptionBudget pdb = matching.get(0);
        PodDisruptionBudgetStatus st = pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : pdb.getStatus();
        int allowed = st.getDisruptionsAllowed() == null ? 0 : st.getDisruptionsAllowed();
        if (allowed <= 0) {
            int healthy = st.getCurrentHealthy() == null ? 0 : st.getCurrentHealthy();
            int desired = st.getDesiredHealthy() == null ? 0 : st.getDesiredHealthy();
            return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                    "The disruption budget " + pdb.getMetadata().getName() + " needs " + desired
                            + " healthy pods and has " + healthy + " currently");
        }
        st.setDisruptionsAllowed(allowed - 1);
        pdb.setStatus(st);
        handleUpdate(listPath + "/" + pdb.getMetadata().getName(), json.asJson(pdb));
        return null;
    }

    /** As the API server reads policy/v1: a budget without a selector selects nothing, an empty one every pod. */
    private static boolean selects(PodDisruptionBudget budget, Map<String, String> podLabels) {
        var s = budget.getSpec() == null ? null : budget.getSpec().getSelector();
        if (s == null) {
            return false;
        }
        List<LabelSelectorRequirement> expressions = s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
        return new LabelSelector(s.getMatchLabels(), expressions.stream()
                .map(r -> new NodeSelectorRequirement(r.getKey(), r.getOperator(), r.getValues())).toList())
                .matches(podLabels);
    }

    private MockResponse status(int code, String reason, String message, String cause) {
        StatusBuilder b = new StatusBuilder().withCode(code).withStatus(code < 300 ? "Success" : "Failure")
                .withReason(reason).withMessage(message);
        if (cause != null) {
            b.withNewDetails().withCauses(new StatusCauseBuilder().withReason("DisruptionBudget").withMessage(cause)
                    .build()).endDetails();
        }
        Status s = b.build();
        return new MockResponse().setResponseCode(code).setBody(json.asJson(s));
    }
}
