package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.Taint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Free room on registered nodes that are ready and schedulable. Nodes are indexed by profile:
 * arch, blocking taints and only the labels (and, for matchFields, the name) some pending pod's
 * selector or affinity looks at, so
 * thousands of nodes fall into a few profiles and a class's fit is decided once per profile.
 */
final class ExistingCapacity {
    /** Arch, the values of the referenced label keys (null where missing) and the blocking taints. */
    private record Profile(Arch arch, List<String> values, List<Taint> taints) {
    }

    private final List<Profile> profiles = new ArrayList<>();
    /** Per profile, its referenced labels as a map, for the selector and affinity checks. */
    private final List<Map<String, String>> profileLabels = new ArrayList<>();
    private final List<IndexedNodes> bins = new ArrayList<>();
    /** Per constraints id, the profiles those constraints accept; computed on first use. */
    private final BitSet[] accepted;

    ExistingCapacity(List<Node> nodes, EquivalenceClasses classes) {
        String[] keys = referencedLabelKeys(classes.classes).toArray(new String[0]);
        List<Node> usable = new ArrayList<>();
        for (Node n : nodes) {
            if (n.ready() && !n.unschedulable() && n.allocatable() != null) {
                usable.add(n);
            }
        }
        usable.sort(Comparator.comparing(Node::name));
        // one small key per node and no label map copies: thousands of nodes share a few profiles
        Map<Profile, Integer> ids = new HashMap<>();
        List<List<Bin>> byProfile = new ArrayList<>();
        for (Node n : usable) {
            Arch arch = Labels.archOf(n);
            String[] values = new String[keys.length];
            for (int i = 0; i < keys.length; i++) {
                values[i] = keys[i].equals(NodeSelectors.NODE_NAME) ? n.name() : Labels.value(n.labels(), keys[i], arch);
            }
            Profile p = new Profile(arch, Arrays.asList(values), blocking(n.taints()));
            Integer id = ids.get(p);
            if (id == null) {
                id = profiles.size();
                ids.put(p, id);
                profiles.add(p);
                profileLabels.add(labels(keys, values));
                byProfile.add(new ArrayList<>());
            }
            byProfile.get(id).add(classes.index.freeBin(n.allocatable(), n.requested()));
        }
        int dims = 4 + classes.index.size();
        byProfile.forEach(list -> bins.add(new IndexedNodes(list, dims)));
        accepted = new BitSet[classes.constraintsCount];
    }

    private static Map<String, String> labels(String[] keys, String[] values) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                labels.put(keys[i], values[i]);
            }
        }
        return Map.copyOf(labels);
    }

    /** The NoSchedule and NoExecute taints; the list itself when all are (the usual case). */
    private static List<Taint> blocking(List<Taint> taints) {
        for (Taint t : taints) {
            if (!t.effect().blocksScheduling()) {
                return taints.stream().filter(x -> x.effect().blocksScheduling()).toList();
            }
        }
        return taints;
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
                        profile.arch(), profileLabels.get(p), profile.taints()) == null) {
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
            c.constraints.nodeSelector().keySet().stream().filter(Objects::nonNull).forEach(keys::add);
            for (NodeSelectorTerm t : c.constraints.affinity()) {
                if (!NodeSelectors.parses(t)) {
                    // a term the scheduler cannot parse matches no node: no label of it to look up
                    continue;
                }
                for (NodeSelectorRequirement r : t.matchExpressions()) {
                    keys.add(r.key());
                }
                if (!t.matchFields().isEmpty()) {
                    // a pod pinned by name: each node is its own profile while such a pod waits
                    keys.add(NodeSelectors.NODE_NAME);
                }
            }
        }
        return keys;
    }
}
