package io.archscaler.controller;

import io.archscaler.images.ExecFormatError;
import io.archscaler.images.ExecFormatErrors;
import io.archscaler.images.ImageResolver;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.model.Arch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The crash-loop guard: a container on an arm64 node that fails with {@code exec format error}
 * marks its image digest as not arm64, gets a Kubernetes Event and a metric, and, when configured,
 * is evicted so its replacement is planned on amd64.
 */
final class MisplacedPodGuard {
    private static final Logger LOG = LoggerFactory.getLogger(MisplacedPodGuard.class);

    private final ImageResolver resolver;
    private final PodEventRecorder recorder;
    private final ArchscalerMetrics metrics;
    private final KubernetesClient client;
    private final Executor executor;
    private final boolean evict;
    private final Set<String> handled = new HashSet<>();

    MisplacedPodGuard(ImageResolver resolver, PodEventRecorder recorder, ArchscalerMetrics metrics,
                      KubernetesClient client, Executor executor, boolean evict) {
        this.resolver = resolver;
        this.recorder = recorder;
        this.metrics = metrics;
        this.client = client;
        this.executor = executor;
        this.evict = evict;
    }

    /** Looks at a bound pod's container statuses; {@code nodeArch} is its node's architecture. */
    void check(Pod pod, Arch nodeArch) {
        if (nodeArch != Arch.ARM64) {
            return;
        }
        List<ExecFormatError> errors = ExecFormatErrors.find(pod);
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        if (errors.isEmpty() || !handled.add(key + "@" + pod.getMetadata().getUid())) {
            return;
        }
        for (ExecFormatError e : errors) {
            if (e.digest() != null) {
                resolver.markNotArm64(e.digest());
            }
            recorder.warning(PodRef.of(pod), "ExecFormatError", "container " + e.container() + " (" + e.image()
                    + ") cannot run on arm64: exec format error; its image is treated as amd64-only"
                    + (evict ? " and the pod is evicted to be planned on amd64" : ""));
        }
        metrics.misplacedPod("exec_format_error");
        LOG.warn("pod {} crashed with exec format error on arm64; image marked amd64-only", key);
        if (evict) {
            executor.execute(() -> {
                try {
                    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                            .evict();
                } catch (KubernetesClientException ex) {
                    LOG.warn("evicting misplaced pod {} failed: {}", key, ex.getMessage());
                }
            });
        }
    }
}
