package io.archscaler.scaler;

import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups pending pods into {@link PodClass}es and orders them for first-fit-decreasing: largest
 * first, ties broken by requests and then by the first pod key, so input order never matters.
 */
final class EquivalenceClasses {
    private static final Comparator<PodClass> DECREASING = EquivalenceClasses::largerFirst;

    final List<PodClass> classes;
    final ResourceIndex index;
    /** How many distinct {@link Constraints} the classes have. */
    final int constraintsCount;

    private record Shape(Resources requests, Constraints constraints) {
    }

    EquivalenceClasses(List<PendingPod> pending) {
        // group first, then sort each class's keys: every key is built once, not once per comparison
        Map<Shape, List<String>> grouped = new HashMap<>();
        for (PendingPod pod : pending) {
            Shape shape = new Shape(TemplateFit.requestsOf(pod), Constraints.of(pod));
            grouped.computeIfAbsent(shape, s -> new ArrayList<>()).add(pod.key());
        }
        List<Map.Entry<Shape, List<String>>> entries = new ArrayList<>(grouped.entrySet());
        for (Map.Entry<Shape, List<String>> e : entries) {
            e.getValue().sort(null);
        }
        entries.sort(Comparator.comparing(e -> e.getValue().get(0)));
        index = new ResourceIndex(entries.stream().map(e -> e.getKey().requests()).toList());
        Map<Constraints, Integer> ids = new HashMap<>();
        List<PodClass> list = new ArrayList<>(entries.size());
        for (Map.Entry<Shape, List<String>> e : entries) {
            Shape s = e.getKey();
            int id = ids.computeIfAbsent(s.constraints(), c -> ids.size());
            list.add(new PodClass(s.constraints(), id, s.requests(), index.demand(s.requests()),
                    ArchResolver.allowed(s.constraints().nodeSelector(), s.constraints().affinity(),
                            s.constraints().imageArchs()), e.getValue()));
        }
        list.sort(DECREASING);
        classes = List.copyOf(list);
        constraintsCount = ids.size();
    }

    private static int largerFirst(PodClass a, PodClass b) {
        int c = Double.compare(b.weight, a.weight);
        if (c == 0) {
            c = Long.compare(b.requests.cpuMillis(), a.requests.cpuMillis());
        }
        if (c == 0) {
            c = Long.compare(b.requests.memoryBytes(), a.requests.memoryBytes());
        }
        if (c == 0) {
            c = Long.compare(b.requests.ephemeralStorageBytes(), a.requests.ephemeralStorageBytes());
        }
        return c != 0 ? c : a.firstKey().compareTo(b.firstKey());
    }

    /** For each class position, a demand no bigger than that class's or any later one's. */
    Demand[] floors() {
        Demand[] floors = new Demand[classes.size()];
        Demand min = null;
        for (int i = classes.size() - 1; i >= 0; i--) {
            Demand d = classes.get(i).demand;
            min = min == null ? d : min.min(d);
            floors[i] = min;
        }
        return floors;
    }
}
