package io.archscaler.reliability;

import io.archscaler.events.Decision;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a run's successful scale-up decisions for what the issue cares about: pods planned more
 * than once, pods never planned, and nodes asked for beyond what was decided.
 */
record ScaleUpAudit(List<Decision> scaleUps, Map<String, Integer> timesPlanned, int nodesAsked) {

    static ScaleUpAudit of(List<Decision> scaleUps) {
        Map<String, Integer> times = new TreeMap<>();
        int nodes = 0;
        for (Decision d : scaleUps) {
            d.pods().forEach(p -> times.merge(p, 1, Integer::sum));
            nodes += d.to() - d.from();
        }
        return new ScaleUpAudit(List.copyOf(scaleUps), times, nodes);
    }

    /** Pods that appear in more than one successful scale-up. */
    Set<String> plannedTwice() {
        Set<String> out = new TreeSet<>();
        timesPlanned.forEach((pod, n) -> {
            if (n > 1) {
                out.add(pod);
            }
        });
        return out;
    }

    /** Of {@code pods}, those no successful scale-up names. */
    Set<String> neverPlanned(Collection<String> pods) {
        Set<String> out = new TreeSet<>(pods);
        out.removeAll(timesPlanned.keySet());
        return out;
    }

    int decisions() {
        return scaleUps.size();
    }
}
