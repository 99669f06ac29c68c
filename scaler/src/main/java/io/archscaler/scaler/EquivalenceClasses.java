package io.archscaler.scaler;

import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        List<PendingPod> sorted = new ArrayList<>(pending);
        sorted.sort(Comparator.comparing(PendingPod::key));
        Map<Shape, List<String>> byShape = new LinkedHashMap<>();
        for (PendingPod pod : sorted) {
            Shape shape = new Shape(TemplateFit.requestsOf(pod), Constraints.of(pod));
            byShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(pod.key());
        }
        index = new ResourceIndex(byShape.keySet().stream().map(Shape::requests).toList());
        Map<Constraints, Integer> ids = new HashMap<>();
        List<PodClass> list = new ArrayList<>(byShape.size());
        for (Map.Entry<Shape, List<String>> e : byShape.entrySet()) {
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
