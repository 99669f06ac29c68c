package io.archscaler.cli;

import io.archscaler.config.ImagesConfig;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.RegistryCredentials;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.PendingPod;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * For {@code plan --resolve-images}: looks up the images of a snapshot's pending pods and returns
 * the snapshot with what they support. Pull secrets are not read (a state file has none), so
 * private images count as unknown.
 */
final class SnapshotImages {
    private SnapshotImages() {
    }

    static ClusterSnapshot resolve(ClusterSnapshot snapshot, List<Pod> pods, ImagesConfig images) {
        ImageResolver resolver = ImageResolver.create(images.registries(), Clock.systemUTC(), ImageLookupObserver.NOOP);
        PodImageArchs archs = new PodImageArchs(resolver, images.registries().onUnknown());
        Map<String, CompletableFuture<Set<Arch>>> lookups = new HashMap<>();
        for (Pod p : pods) {
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            lookups.put(key, archs.archsOf(p, RegistryCredentials.NONE).toCompletableFuture()
                    .exceptionally(e -> null));
        }
        List<PendingPod> resolved = new ArrayList<>(snapshot.pendingPods().size());
        for (PendingPod pod : snapshot.pendingPods()) {
            CompletableFuture<Set<Arch>> f = lookups.get(pod.key());
            Set<Arch> found = f == null ? null : f.join();
            resolved.add(found == null ? pod : pod.withImageArchs(found));
        }
        return new ClusterSnapshot(snapshot.nodeGroups(), snapshot.nodes(), resolved, snapshot.daemonSets(),
                snapshot.inFlightNodes(), snapshot.backedOff(), snapshot.circuitOpen(), snapshot.limits());
    }
}
