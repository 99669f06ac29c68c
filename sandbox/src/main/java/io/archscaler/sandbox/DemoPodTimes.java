package io.archscaler.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When each of the demo's pods on a real cluster was first seen and first bound, followed by an
 * informer (to the millisecond, where the API server's timestamps have whole seconds): how long
 * pods waited for capacity, and when the HPA's first pod appeared.
 */
final class DemoPodTimes implements AutoCloseable {
    private final Clock clock;
    private final Map<String, Instant> seen = new HashMap<>();
    private final Map<String, Instant> bound = new HashMap<>();
    private final Map<String, String> workloadOf = new HashMap<>();
    private final Map<String, Set<String>> quiet = new HashMap<>();
    private Instant replacementsFrom;
    private SharedIndexInformer<Pod> informer;

    private DemoPodTimes(Clock clock) {
        this.clock = clock;
    }

    /** Follows the pods of {@code namespace} from now on. */
    static DemoPodTimes follow(KubernetesClient client, String namespace, Clock clock) {
        DemoPodTimes times = new DemoPodTimes(clock);
        times.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                times.saw(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                times.saw(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                // a pod's arrival and binding are what count
            }
        }, 0);
        return times;
    }

    private synchronized void saw(Pod pod) {
        String key = pod.getMetadata().getName();
        Instant now = clock.instant();
        seen.putIfAbsent(key, now);
        workloadOf.putIfAbsent(key, pod.getMetadata().getLabels() == null ? "" : pod.getMetadata().getLabels().get("app"));
        if (pod.getSpec().getNodeName() != null) {
            bound.putIfAbsent(key, now);
        }
    }

    /** The workload's pods so far are those before its HPA acts. */
    synchronized void markQuiet(String workload) {
        Set<String> pods = new HashSet<>();
        workloadOf.forEach((pod, w) -> {
            if (workload.equals(w)) {
                pods.add(pod);
            }
        });
        quiet.put(workload, pods);
    }

    /** When the workload's first pod after {@link #markQuiet} appeared, if one has. */
    synchronized Optional<Instant> firstAfterQuiet(String workload) {
        Set<String> before = quiet.getOrDefault(workload, Set.of());
        return seen.entrySet().stream().filter(e -> workload.equals(workloadOf.get(e.getKey())) && !before.contains(e.getKey()))
                .map(Map.Entry::getValue).min(Instant::compareTo);
    }

    /** Pods that appear from now on replace evicted ones (only drains make pods from then on); the first mark holds. */
    synchronized void markReplacementsFromNow() {
        if (replacementsFrom == null) {
            replacementsFrom = clock.instant();
        }
    }

    /** From first seen to first bound, per pod ({@code namespace/name}); replacements left out. */
    synchronized Map<String, Duration> waitsForCapacity() {
        return waits(true);
    }

    /** From first seen to first bound, per pod ({@code namespace/name}), replacements included. */
    synchronized Map<String, Duration> waitsToBind() {
        return waits(false);
    }

    private Map<String, Duration> waits(boolean withoutReplacements) {
        Map<String, Duration> out = new HashMap<>();
        bound.forEach((pod, at) -> {
            Instant first = seen.get(pod);
            if (!withoutReplacements || replacementsFrom == null || first.isBefore(replacementsFrom)) {
                out.put(DemoWorkload.NAMESPACE + "/" + pod, Duration.between(first, at));
            }
        });
        return out;
    }

    @Override
    public void close() {
        informer.close();
    }
}
