package io.archscaler.cli;

import io.archscaler.config.ImagesConfig;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.RegistryCredentials;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.scaledown.BoundPod;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.ScaleDownInput;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * For {@code plan --resolve-images}: looks up the images of a snapshot's pods and returns the
 * snapshot (pending pods) and the scale-down input (pods on nodes) with what they support. Pull
 * secrets are not read (a state file has none), so private images count as unknown.
 */
final class SnapshotImages {
    private final Map<String, Set<Arch>> found = new HashMap<>();

    private SnapshotImages() {
    }

    /** Every pod's images looked up; a pod whose images say nothing is left out. */
    static SnapshotImages lookUp(List<Pod> pods, ImagesConfig images) {
        ImageResolver resolver = ImageResolver.create(images.registries(), Clock.systemUTC(), ImageLookupObserver.NOOP);
        PodImageArchs archs = new PodImageArchs(resolver, images.registries().onUnknown());
        Map<String, CompletableFuture<Set<Arch>>> lookups = new HashMap<>();
        for (Pod p : pods) {
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            lookups.put(key, archs.archsOf(p, RegistryCredentials.NONE).toCompletableFuture()
                    .exceptionally(e -> null));
        }
        SnapshotImages out = new SnapshotImages();
        lookups.forEach((key, f) -> {
            Set<Arch> set = f.join();
            if (set != null) {
                out.found.put(key, set);
            }
        });
        return out;
    }

    ClusterSnapshot resolve(ClusterSnapshot snapshot) {
        List<PendingPod> resolved = new ArrayList<>(snapshot.pendingPods().size());
        snapshot.pendingPods().forEach(p -> resolved.add(resolve(p)));
        return new ClusterSnapshot(snapshot.nodeGroups(), snapshot.nodes(), resolved, snapshot.daemonSets(),
                snapshot.inFlightNodes(), snapshot.backedOff(), snapshot.circuitOpen(), snapshot.limits(),
                snapshot.offeringOut());
    }

    ScaleDownInput resolve(ScaleDownInput in) {
        List<NodeWithPods> nodes = new ArrayList<>(in.nodes().size());
        for (NodeWithPods n : in.nodes()) {
            List<BoundPod> pods = n.pods().stream().map(b -> new BoundPod(resolve(b.pod()), b.labels(), b.annotations(),
                    b.daemonSet(), b.localVolumes())).toList();
            nodes.add(new NodeWithPods(n.node(), n.annotations(), pods));
        }
        return new ScaleDownInput(in.nodeGroups(), nodes, in.budgets(), in.lastScaleUp(), in.failedScaleDowns());
    }

    private PendingPod resolve(PendingPod pod) {
        Set<Arch> archs = found.get(pod.key());
        return archs == null ? pod : pod.withImageArchs(archs);
    }
}
