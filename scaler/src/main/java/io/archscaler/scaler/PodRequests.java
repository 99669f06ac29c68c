package io.archscaler.scaler;

import io.archscaler.scaler.model.InitContainer;
import io.archscaler.scaler.model.Resources;

import java.util.List;

/**
 * A pod's effective requests as the kube-scheduler counts them, sidecars (KEP-753) included.
 */
public final class PodRequests {
    private PodRequests() {
    }

    /**
     * {@code max(sum(containers) + sum(sidecars), max over plain init containers i of
     * (init_i + sidecars declared before i)) + overhead}, with {@code pods} set to 1.
     * Null lists, null entries and a null overhead count as nothing requested.
     */
    public static Resources effective(List<Resources> containers, List<InitContainer> initContainers,
                                      Resources overhead) {
        Resources running = Resources.ZERO;
        if (containers != null) {
            for (Resources c : containers) {
                running = running.plus(orZero(c));
            }
        }
        Resources sidecarsSoFar = Resources.ZERO;
        Resources initPeak = Resources.ZERO;
        if (initContainers != null) {
            for (InitContainer init : initContainers) {
                if (init == null) {
                    continue;
                }
                Resources requests = orZero(init.requests());
                if (init.sidecar()) {
                    // a sidecar starts before the init containers after it and keeps running with the app
                    sidecarsSoFar = sidecarsSoFar.plus(requests);
                    running = running.plus(requests);
                } else {
                    initPeak = initPeak.max(requests.plus(sidecarsSoFar));
                }
            }
        }
        return running.max(initPeak).plus(orZero(overhead)).withPods(1);
    }

    private static Resources orZero(Resources r) {
        return r == null ? Resources.ZERO : r;
    }
}
