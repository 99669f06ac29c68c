package io.archscaler.images;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the containers of a pod that crash with {@code exec format error}: the runtime started an
 * image whose binary is for another architecture (an amd64-only image labelled multi-arch, or pinned
 * by digest to the wrong platform). The caller checks that the pod's node is arm64 before it marks
 * the image not-arm64.
 */
public final class ExecFormatErrors {
    private static final String EXEC_FORMAT_ERROR = "exec format error";
    private static final Pattern DIGEST = Pattern.compile("@(sha256:[0-9a-f]{64})$");

    private ExecFormatErrors() {
    }

    /** The containers (and init containers) whose current or last state reports an exec format error. */
    public static List<ExecFormatError> find(Pod pod) {
        List<ExecFormatError> found = new ArrayList<>();
        PodStatus status = pod.getStatus();
        if (status == null) {
            return found;
        }
        addFindings(status.getInitContainerStatuses(), found);
        addFindings(status.getContainerStatuses(), found);
        return found;
    }

    private static void addFindings(List<ContainerStatus> statuses, List<ExecFormatError> found) {
        if (statuses == null) {
            return;
        }
        for (ContainerStatus s : statuses) {
            String reason = execFormatReason(s.getState());
            if (reason == null) {
                reason = execFormatReason(s.getLastState());
            }
            if (reason != null) {
                found.add(new ExecFormatError(s.getName(), s.getImage(), digestOf(s.getImageID()), reason.isEmpty() ? null : reason));
            }
        }
    }

    /** The reason of the state that reports an exec format error ("" when it has none), or null when none does. */
    private static String execFormatReason(ContainerState state) {
        if (state == null) {
            return null;
        }
        ContainerStateWaiting waiting = state.getWaiting();
        if (waiting != null && mentions(waiting.getMessage())) {
            return waiting.getReason() == null ? "" : waiting.getReason();
        }
        ContainerStateTerminated terminated = state.getTerminated();
        if (terminated != null && mentions(terminated.getMessage())) {
            return terminated.getReason() == null ? "" : terminated.getReason();
        }
        return null;
    }

    private static boolean mentions(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains(EXEC_FORMAT_ERROR);
    }

    // docker.io/library/x@sha256:…, docker-pullable://x@sha256:…; a bare sha256:… is a local image ID, not a manifest digest
    private static String digestOf(String imageId) {
        if (imageId == null) {
            return null;
        }
        Matcher m = DIGEST.matcher(imageId.strip());
        return m.find() ? m.group(1) : null;
    }
}
