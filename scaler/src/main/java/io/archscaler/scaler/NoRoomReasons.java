package io.archscaler.scaler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says, for a class of pods left without room, why each group took none of them. Most classes
 * share their reasons, so the parts and the joined text are built once and reused.
 */
final class NoRoomReasons {
    private final List<GroupPlan> groups;
    private final GroupFit fit;
    /** Per group, why it can open no more nodes (null when it still could). */
    private final String[] noRoom;
    /** Per constraints id and group, "name doesn't fit: why", built on first use. */
    private final String[][] misfits;
    private final Map<List<String>, String> joined = new HashMap<>();

    NoRoomReasons(List<GroupPlan> groups, GroupFit fit, ClusterBudget budget, int constraintsCount) {
        this.groups = groups;
        this.fit = fit;
        this.noRoom = new String[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            noRoom[g] = groups.get(g).noRoomReason(budget);
        }
        this.misfits = new String[constraintsCount][];
    }

    String of(PodClass c) {
        if (groups.isEmpty()) {
            return "no node group is configured";
        }
        List<String> parts = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            parts.add(part(c, g));
        }
        return joined.computeIfAbsent(parts, p -> "no node group can take it: " + String.join("; ", p));
    }

    private String part(PodClass c, int g) {
        if (fit.constraintsWhyNot(c, g) != null) {
            String[] cached = misfits[c.constraintsId];
            if (cached == null) {
                cached = new String[groups.size()];
                misfits[c.constraintsId] = cached;
            }
            if (cached[g] == null) {
                cached[g] = groups.get(g).name() + " doesn't fit: " + fit.constraintsWhyNot(c, g);
            }
            return cached[g];
        }
        String resources = fit.resourcesWhyNot(c, g);
        return resources != null ? groups.get(g).name() + " doesn't fit: " + resources : noRoom[g];
    }
}
