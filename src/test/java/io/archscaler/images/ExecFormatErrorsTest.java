package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class ExecFormatErrorsTest {
    private static final String DIGEST = "sha256:6a1b0c3f2f9d0e7a4c5b8d9e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c";
    private static final String CONTAINERD_START_ERROR = "failed to create containerd task: failed to create shim task: "
            + "OCI runtime create failed: runc create failed: unable to start container process: "
            + "exec: \"/usr/local/bin/legacy-server\": exec format error: unknown";

    private static Pod pod(ContainerStatus... statuses) {
        return new PodBuilder().withNewMetadata().withName("legacy-7c9d8f5b4-x2x9q").withNamespace("shop").endMetadata()
                .withNewSpec().withNodeName("ip-10-0-3-21.us-west-2.compute.internal").endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(statuses).endStatus().build();
    }

    private static ContainerStatus running(String name, String image) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withImageID(image + "@" + DIGEST)
                .withReady(true).withRestartCount(0).withNewState().withNewRunning().withStartedAt("2026-11-22T10:00:05Z")
                .endRunning().endState().build();
    }

    @Test
    void findsAContainerdStartErrorInTheLastTerminatedState() {
        ContainerStatus crashing = new ContainerStatusBuilder().withName("app").withImage("docker.io/team/legacy:1.0")
                .withImageID("docker.io/team/legacy@" + DIGEST).withReady(false).withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 1m20s restarting failed container=app pod=legacy-7c9d8f5b4-x2x9q_shop(5f1c9a2e)")
                .endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(128).withReason("StartError").withMessage(CONTAINERD_START_ERROR)
                .withStartedAt("1970-01-01T00:00:00Z").withFinishedAt("2026-11-22T10:03:11Z").endTerminated().endLastState()
                .build();

        assertThat(ExecFormatErrors.find(pod(running("envoy", "docker.io/envoyproxy/envoy:v1.31.0"), crashing)))
                .containsExactly(new ExecFormatError("app", "docker.io/team/legacy:1.0", DIGEST, "StartError"));
    }

    @Test
    void findsTheErrorInTheWaitingAndTerminatedStatesToo() {
        ContainerStatus waiting = new ContainerStatusBuilder().withName("a").withImage("ghcr.io/org/a:1")
                .withImageID("docker-pullable://ghcr.io/org/a@" + DIGEST)
                .withNewState().withNewWaiting().withReason("RunContainerError")
                .withMessage("failed to start container: Error response from daemon: exec format error").endWaiting().endState().build();
        ContainerStatus terminated = new ContainerStatusBuilder().withName("b").withImage("ghcr.io/org/b:1")
                .withImageID("sha256:" + DIGEST.substring(7))
                .withNewState().withNewTerminated().withExitCode(1).withReason("Error")
                .withMessage("exec /app/server: Exec Format Error").endTerminated().endState().build();

        assertThat(ExecFormatErrors.find(pod(waiting, terminated))).containsExactly(
                new ExecFormatError("a", "ghcr.io/org/a:1", DIGEST, "RunContainerError"),
                new ExecFormatError("b", "ghcr.io/org/b:1", null, "Error"));
    }

    @Test
    void findsInitContainersThatCannotStart() {
        Pod pod = new PodBuilder().withNewStatus().withPhase("Pending").addNewInitContainerStatus().withName("migrate")
                .withImage("registry.lab:5000/migrate:2").withImageID("registry.lab:5000/migrate@" + DIGEST)
                .withNewLastState().withNewTerminated().withExitCode(128).withReason("StartError").withMessage(CONTAINERD_START_ERROR)
                .endTerminated().endLastState().endInitContainerStatus().endStatus().build();

        assertThat(ExecFormatErrors.find(pod)).containsExactly(
                new ExecFormatError("migrate", "registry.lab:5000/migrate:2", DIGEST, "StartError"));
    }

    @Test
    void otherCrashesAndPodsWithoutStatusAreNotExecFormatErrors() {
        ContainerStatus oom = new ContainerStatusBuilder().withName("app").withImage("ghcr.io/org/a:1")
                .withNewLastState().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated().endLastState()
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 10s restarting failed container")
                .endWaiting().endState().build();

        assertThat(ExecFormatErrors.find(pod(oom, running("web", "nginx:1.27")))).isEmpty();
        assertThat(ExecFormatErrors.find(new PodBuilder().withNewMetadata().withName("new").endMetadata().build())).isEmpty();
    }
}
