package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;

import java.util.List;
import java.util.Map;

/** What the DaemonSet pods that would run on every new node of a group take from it. */
public final class DaemonSetReservation {
    private DaemonSetReservation() {
    }

    /**
     * The summed requests (one pod slot each) of every DaemonSet pod template whose selector,
     * affinity, architecture and tolerations let it onto the group's template.
     */
    public static Resources forGroup(List<PendingPod> daemonSets, NodeGroup group) {
        if (group.template() == null) {
            return Resources.ZERO;
        }
        Arch arch = Labels.archOf(group);
        Map<String, String> labels = Labels.withArch(group.template().labels(), arch);
        Resources reserved = Resources.ZERO;
        for (PendingPod ds : daemonSets) {
            String why = TemplateFit.constraints(ds.nodeSelector(), ds.requiredAffinity(), ds.tolerations(),
                    ArchResolver.allowed(ds), arch, labels, group.template().taints());
            if (why == null) {
                reserved = reserved.plus(TemplateFit.requestsOf(ds));
            }
        }
        return reserved;
    }
}
