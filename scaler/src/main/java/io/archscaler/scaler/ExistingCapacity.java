package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.Taint;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Free room on registered nodes that are ready and schedulable. Nodes are indexed by profile:
 * arch, blocking taints and only the labels some pending pod's selector or affinity looks at, so
 * thousands of nodes fall into a few profiles and a class's fit is decided once per profile.
 */
final class ExistingCapacity {
    private record Profile(Arch arch, Map<String, String> labels, List<Taint> taints) {
    }

    private final List<Profile> profiles = new ArrayList<>();
    private final List<IndexedNodes> bins = new ArrayList<>();
    /** Per constraints id, the profiles those constraints accept; computed on first use. */
    private final BitSet[] accepted;

    ExistingCapacity(List<Node> nodes, EquivalenceClasses classes) {
        Set<String> keys = referencedLabelKeys(classes.classes);
        List<Node> usable = new ArrayList<>();
        for (Node n : nodes) {
            if (n.ready() && !n.unschedulable() && n.allocatable() != null) {
                usable.add(n);
            }
        }
        usable.sort(Comparator.comparing(Node::name));
        Map<Profile, List<Bin>> byProfile = new LinkedHashMap<>();
        for (Node n : usable) {
            Arch arch = Labels.archOf(n);
            Map<String, String> labels = Labels.withArch(n.labels(), arch);
            Map<String, String> projected = new HashMap<>();
            for (String k : keys) {
                String v = labels.get(k);
                if (v != null) {
                    projected.put(k, v);
                }
            }
            List<Taint> blocking = n.taints().stream().filter(t -> t.effect().blocksScheduling()).toList();
            Profile p = new Profile(arch, Map.copyOf(projected), blocking);
            byProfile.computeIfAbsent(p, x -> new ArrayList<>())
                    .add(classes.index.bin(n.requested() == null ? n.allocatable() : n.free(), 1));
        }
        int dims = 4 + classes.index.size();
        byProfile.forEach((p, list) -> {
            profiles.add(p);
            bins.add(new IndexedNodes(list, dims));
        });
        accepted = new BitSet[classes.constraintsCount];
    }

    /** Places up to {@code wanted} pods of the class on free room; returns how many it placed. */
    long place(PodClass c, long wanted) {
        BitSet ok = accepted(c);
        long placed = 0;
        for (int p = ok.nextSetBit(0); p >= 0 && placed < wanted; p = ok.nextSetBit(p + 1)) {
            placed += bins.get(p).fill(c.demand, wanted - placed);
        }
        return placed;
    }

    private BitSet accepted(PodClass c) {
        BitSet ok = accepted[c.constraintsId];
        if (ok == null) {
            ok = new BitSet(profiles.size());
            Constraints k = c.constraints;
            for (int p = 0; p < profiles.size(); p++) {
                Profile profile = profiles.get(p);
                if (TemplateFit.constraints(k.nodeSelector(), k.affinity(), k.tolerations(), c.allowed,
                        profile.arch(), profile.labels(), profile.taints()) == null) {
                    ok.set(p);
                }
            }
            accepted[c.constraintsId] = ok;
        }
        return ok;
    }

    private static Set<String> referencedLabelKeys(List<PodClass> classes) {
        Set<String> keys = new HashSet<>();
        for (PodClass c : classes) {
            keys.addAll(c.constraints.nodeSelector().keySet());
            for (NodeSelectorTerm t : c.constraints.affinity()) {
                for (NodeSelectorRequirement r : t.matchExpressions()) {
                    keys.add(r.key());
                }
            }
        }
        return keys;
    }
}
