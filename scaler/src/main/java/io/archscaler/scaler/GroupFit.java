package io.archscaler.scaler;

import java.util.List;

/**
 * Whether each class of pods fits each group's template, decided once per (constraints, group)
 * for selectors, affinity, arch and taints, and by arithmetic for resources.
 */
final class GroupFit {
    private static final String FITS = "";

    private final List<GroupPlan> groups;
    /** Per constraints id, per group position: the reason they do not fit, or {@link #FITS}. */
    private final String[][] byConstraints;

    GroupFit(List<GroupPlan> groups, int constraintsCount) {
        this.groups = groups;
        this.byConstraints = new String[constraintsCount][];
    }

    boolean constraintsFit(PodClass c, int group) {
        return constraintsWhyNot(c, group) == null;
    }

    /** How many pods of the class one new node of the group holds (0 when they do not fit at all). */
    long perNode(PodClass c, int group) {
        return constraintsFit(c, group) ? groups.get(group).empty.fits(c.demand) : 0;
    }

    /** Why the class can never go on a new node of the group, or null when it can. */
    String whyNot(PodClass c, int group) {
        String why = constraintsWhyNot(c, group);
        return why != null ? why : resourcesWhyNot(c, group);
    }

    /** Why an empty new node of the group has no room for one pod of the class, or null. */
    String resourcesWhyNot(PodClass c, int group) {
        GroupPlan g = groups.get(group);
        if (g.empty.fits(c.demand) > 0) {
            return null;
        }
        String resources = TemplateFit.resources(c.requests, g.usable);
        return resources != null ? resources : "no room for one pod after DaemonSets";
    }

    /** Why the class's selector, affinity, arch or tolerations rule the group out, or null; the same string each time. */
    String constraintsWhyNot(PodClass c, int group) {
        String[] reasons = byConstraints[c.constraintsId];
        if (reasons == null) {
            reasons = new String[groups.size()];
            for (int i = 0; i < reasons.length; i++) {
                String why = constraintsWhyNot(c, groups.get(i));
                reasons[i] = why == null ? FITS : why;
            }
            byConstraints[c.constraintsId] = reasons;
        }
        String why = reasons[group];
        return why.isEmpty() ? null : why;
    }

    private static String constraintsWhyNot(PodClass c, GroupPlan g) {
        if (g.group.template() == null) {
            return "node group has no template";
        }
        Constraints k = c.constraints;
        return TemplateFit.constraints(k.nodeSelector(), k.affinity(), k.tolerations(), c.allowed, g.arch, g.labels,
                g.group.template().taints());
    }
}
