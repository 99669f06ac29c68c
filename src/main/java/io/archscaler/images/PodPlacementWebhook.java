package io.archscaler.images;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement webhook ({@code POST /mutate-pods}): pins a new pod whose images lack an architecture
 * to the architectures they have, so the kube-scheduler never puts it on a node it cannot run on.
 *
 * <p>It also keeps a pod off spot nodes when its workload's {@code archscaler.io/max-spot-ratio} says so
 * (see {@link SpotPlacement}).
 *
 * <p>Pods that constrain the arch themselves keep their own arch; DaemonSet pods are left alone. The
 * answer comes within the webhook's own timeout even when a registry does not answer: then the pod is let through
 * unchanged (the lookup goes on and fills the cache for the next pod).
 */
public final class PodPlacementWebhook {
    /** The default time to answer in; well below the API server's default webhook timeout of 10s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(PodPlacementWebhook.class);
    private static final String API_VERSION = "admission.k8s.io/v1";

    private final PodImageArchs podImageArchs;
    private final PullSecretResolver pullSecrets;
    private final Duration timeout;
    private final ImageLookupObserver observer;
    private final SpotPlacement spotPlacement;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public PodPlacementWebhook(PodImageArchs podImageArchs, PullSecretResolver pullSecrets, Duration timeout,
                               ImageLookupObserver observer) {
        this(podImageArchs, pullSecrets, timeout, observer, SpotPlacement.NONE);
    }

    public PodPlacementWebhook(PodImageArchs podImageArchs, PullSecretResolver pullSecrets, Duration timeout,
                               ImageLookupObserver observer, SpotPlacement spotPlacement) {
        this.spotPlacement = Objects.requireNonNull(spotPlacement, "spotPlacement");
        this.podImageArchs = Objects.requireNonNull(podImageArchs, "podImageArchs");
        this.pullSecrets = Objects.requireNonNull(pullSecrets, "pullSecrets");
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        this.observer = observer == null ? ImageLookupObserver.NOOP : observer;
    }

    /**
     * Answers an {@code admission.k8s.io/v1} AdmissionReview: always allowed, with a JSON Patch when the
     * pod is pinned. Fails with {@link InvalidAdmissionReviewException} when the body has no request uid.
     */
    public CompletionStage<JsonObject> review(JsonObject admissionReview) {
        long started = System.nanoTime();
        JsonObject request = ArchPatch.object(admissionReview, "request");
        String uid = ArchPatch.string(request, "uid");
        if (uid == null || uid.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidAdmissionReviewException("AdmissionReview has no request.uid"));
        }
        CompletableFuture<Decision> decision;
        try {
            decision = decide(request);
        } catch (RuntimeException e) {
            LOG.warn("could not review pod in request {}: {}", uid, e.toString());
            decision = CompletableFuture.completedFuture(Decision.of(ReviewOutcome.ERROR));
        }
        return decision.thenApply(d -> {
            observer.reviewed(d.outcome(), Duration.ofNanos(System.nanoTime() - started));
            return response(uid, d.patch());
        });
    }

    private CompletableFuture<Decision> decide(JsonObject request) {
        JsonObject kind = ArchPatch.object(request, "kind");
        String operation = ArchPatch.string(request, "operation");
        String subResource = ArchPatch.string(request, "subResource");
        if (kind != null && !("Pod".equals(ArchPatch.string(kind, "kind")) && isCoreGroup(ArchPatch.string(kind, "group")))
                || operation != null && !operation.equals("CREATE")
                || subResource != null && !subResource.isEmpty()) {
            return CompletableFuture.completedFuture(Decision.of(ReviewOutcome.SKIPPED));
        }
        JsonObject podJson = ArchPatch.object(request, "object");
        if (podJson == null) {
            return CompletableFuture.completedFuture(Decision.of(ReviewOutcome.ERROR));
        }
        if (ArchPatch.ownedByDaemonSet(podJson) || ArchPatch.string(ArchPatch.object(podJson, "spec"), "nodeName") != null) {
            return CompletableFuture.completedFuture(Decision.of(ReviewOutcome.SKIPPED));
        }
        Pod pod = serialization.unmarshal(podJson.encode(), Pod.class);
        String namespace = ArchPatch.string(request, "namespace");
        if (namespace == null) {
            namespace = pod.getMetadata() != null && pod.getMetadata().getNamespace() != null
                    ? pod.getMetadata().getNamespace() : "default";
        }
        String podName = podName(pod, namespace);
        CompletableFuture<ArchDecision> arch = ArchPatch.constrainsArch(podJson)
                ? CompletableFuture.completedFuture(new ArchDecision(ReviewOutcome.SKIPPED, null))
                : archs(pod, namespace, podName);
        CompletableFuture<Optional<String>> spot = keepOffSpot(namespace, pod, podName);
        return arch.thenCombine(spot, (a, offSpot) -> {
            List<JsonObject> expressions = new ArrayList<>();
            Map<String, String> annotations = new HashMap<>();
            if (a.archs() != null) {
                expressions.add(ArchPatch.archExpression(a.archs().archs()));
                annotations.put(ArchPatch.SOURCE_ANNOTATION, a.archs().reason());
            }
            offSpot.ifPresent(reason -> {
                LOG.info("keeping pod {} off spot: {}", podName, reason);
                expressions.addAll(SpotAffinity.EXCLUDE_SPOT);
                annotations.put(SpotAffinity.REASON_ANNOTATION, reason);
            });
            return expressions.isEmpty() ? Decision.of(a.outcome())
                    : new Decision(ReviewOutcome.PATCHED, ArchPatch.patch(podJson, expressions, annotations));
        });
    }

    private CompletableFuture<ArchDecision> archs(Pod pod, String namespace, String podName) {
        List<String> secretNames = pod.getSpec() == null || pod.getSpec().getImagePullSecrets() == null ? List.of()
                : pod.getSpec().getImagePullSecrets().stream().map(LocalObjectReference::getName).filter(Objects::nonNull).toList();
        return pullSecrets.credentials(namespace, secretNames).toCompletableFuture()
                .thenCompose(credentials -> podImageArchs.lookUp(pod, credentials))
                .thenApply(images -> {
                    if (images.archs() != null && images.archs().isEmpty()) {
                        LOG.warn("the images of pod {} share no architecture ({}); left unchanged", podName, images.reason());
                    }
                    if (!images.narrowsArchs()) {
                        return new ArchDecision(ReviewOutcome.UNCHANGED, null);
                    }
                    LOG.info("pinning pod {} to {}: {}", podName, PodImages.format(images.archs()), images.reason());
                    return new ArchDecision(ReviewOutcome.PATCHED, images);
                })
                .exceptionally(e -> {
                    LOG.warn("could not look up the images of pod {}: {}", podName, e.toString());
                    return new ArchDecision(ReviewOutcome.ERROR, null);
                })
                .completeOnTimeout(new ArchDecision(ReviewOutcome.TIMEOUT, null), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The spot check shares the webhook's timeout; when it cannot answer the pod may go anywhere, as without a ratio. */
    private CompletableFuture<Optional<String>> keepOffSpot(String namespace, Pod pod, String podName) {
        if (SpotAffinity.excludesSpot(pod)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<String>> spot;
        try {
            spot = spotPlacement.keepOffSpot(namespace, pod).toCompletableFuture();
        } catch (RuntimeException e) {
            spot = CompletableFuture.failedFuture(e);
        }
        return spot.exceptionally(e -> {
                    LOG.warn("could not check the spot ratio of pod {}: {}", podName, e.toString());
                    return Optional.empty();
                })
                .completeOnTimeout(Optional.empty(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static JsonObject response(String uid, JsonArray patch) {
        JsonObject response = new JsonObject().put("uid", uid).put("allowed", true);
        if (patch != null) {
            response.put("patchType", "JSONPatch")
                    .put("patch", Base64.getEncoder().encodeToString(patch.encode().getBytes(StandardCharsets.UTF_8)));
        }
        return new JsonObject().put("apiVersion", API_VERSION).put("kind", "AdmissionReview").put("response", response);
    }

    private static boolean isCoreGroup(String group) {
        return group == null || group.isEmpty();
    }

    private static String podName(Pod pod, String namespace) {
        String name = pod.getMetadata() == null ? null
                : pod.getMetadata().getName() != null ? pod.getMetadata().getName() : pod.getMetadata().getGenerateName();
        return namespace + "/" + (name == null ? "?" : name);
    }

    private record ArchDecision(ReviewOutcome outcome, PodImages archs) {
    }

    private record Decision(ReviewOutcome outcome, JsonArray patch) {
        static Decision of(ReviewOutcome outcome) {
            return new Decision(outcome, null);
        }
    }
}
