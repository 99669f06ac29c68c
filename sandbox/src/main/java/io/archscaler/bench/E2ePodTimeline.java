package io.archscaler.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When the benchmark's own watch first saw each pod of a burst marked Unschedulable by
 * kube-scheduler, bound, and Running: receive times on this JVM's monotonic clock, because the API's
 * condition timestamps have a resolution of one second. Pods are named {@code PREFIX-WORKLOAD-INDEX}.
 */
final class E2ePodTimeline implements AutoCloseable {
    static final int UNSCHEDULABLE = 0;
    static final int BOUND = 1;
    static final int RUNNING = 2;

    private final long origin;
    private final AtomicLongArray[] seen = new AtomicLongArray[3];
    private final AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    private final Watch watch;
    private volatile String error;

    /** Starts watching {@code namespace} for {@code pods} pods; times count from {@code origin} ({@link System#nanoTime}). */
    E2ePodTimeline(KubernetesClient client, String namespace, int pods, long origin) {
        this.origin = origin;
        for (int i = 0; i < seen.length; i++) {
            seen[i] = new AtomicLongArray(pods);
        }
        this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    record(pod, System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // fabric8 reconnects by itself; only a watch it gives up on ends here
                error = "the pod watch closed: " + cause.getMessage();
            }
        });
    }

    private void record(Pod pod, long now) {
        String name = pod.getMetadata().getName();
        int index = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
                    mark(UNSCHEDULABLE, index, now);
                }
            }
        }
        if (pod.getSpec().getNodeName() != null) {
            mark(BOUND, index, now);
        }
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
            mark(RUNNING, index, now);
        }
    }

    private void mark(int what, int index, long now) {
        // 0 means not yet seen: a time of exactly 0 after the origin is taken as 1 ns
        if (seen[what].compareAndSet(index, 0, Math.max(1, now - origin))) {
            counts[what].incrementAndGet();
        }
    }

    /** How many pods have been seen in that state ({@link #UNSCHEDULABLE}, {@link #BOUND}, {@link #RUNNING}). */
    int count(int what) {
        return counts[what].get();
    }

    /** Nanoseconds after the origin pod {@code index} was first seen in that state, 0 when never. */
    long at(int what, int index) {
        return seen[what].get(index);
    }

    int pods() {
        return seen[0].length();
    }

    /** Why the watch ended early, or null. */
    String error() {
        return error;
    }

    @Override
    public void close() {
        watch.close();
    }
}
