package io.archscaler.bench;

import io.vertx.core.json.JsonObject;

/**
 * One planner benchmark: the cluster's size, how long a plan took, how good it was and what it
 * cost in memory.
 *
 * @param p50Millis            median time of one run (for a scenario: building the snapshot too)
 * @param cpuP50Millis         median cpu time of the planning thread in one run: unlike the wall
 *                             time, it does not grow when other processes take the cores
 * @param nodesPlanned         new nodes the plan asks for, all groups together
 * @param lowerBoundNodes      see {@link LowerBound}: the Martello-Toth bound, per resource and group
 * @param volumeBoundNodes     the plain volume bound, ceil(requests / allocatable) per resource and group
 * @param heapUsedMiB          heap in use after a full collection with the cluster and its plan held
 * @param allocatedBytesPerPod bytes the planning thread allocated over the timed runs, per run and pod
 */
public record PlannerResult(String scenario, int pods, int nodeGroups, int nodes, int classes, int runs,
                            double p50Millis, double p99Millis, double minMillis, double maxMillis,
                            double cpuP50Millis, double cpuP99Millis,
                            long nodesPlanned, long lowerBoundNodes, long volumeBoundNodes, int podsOnNewNodes, int podsOnExistingCapacity,
                            int podsUnschedulable, double heapUsedMiB, long allocatedBytesPerPod) {

    /** Pending pods planned per second at the median run time. */
    public double podsPerSecond() {
        return p50Millis <= 0 ? 0 : pods / (p50Millis / 1000.0);
    }

    /** How far above the lower bound the plan is: 0.02 means 2% more nodes. */
    public double overLowerBound() {
        return lowerBoundNodes == 0 ? 0 : (double) nodesPlanned / lowerBoundNodes - 1;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("scenario", scenario)
                .put("pods", pods)
                .put("nodeGroups", nodeGroups)
                .put("nodes", nodes)
                .put("classes", classes)
                .put("runs", runs)
                .put("planMillis", new JsonObject()
                        .put("p50", Stats.round(p50Millis, 3))
                        .put("p99", Stats.round(p99Millis, 3))
                        .put("min", Stats.round(minMillis, 3))
                        .put("max", Stats.round(maxMillis, 3)))
                .put("cpuMillis", new JsonObject()
                        .put("p50", Stats.round(cpuP50Millis, 3))
                        .put("p99", Stats.round(cpuP99Millis, 3)))
                .put("podsPerSecond", Math.round(podsPerSecond()))
                .put("nodesPlanned", nodesPlanned)
                .put("lowerBoundNodes", lowerBoundNodes)
                .put("volumeBoundNodes", volumeBoundNodes)
                .put("overLowerBound", Stats.round(overLowerBound(), 4))
                .put("podsOnNewNodes", podsOnNewNodes)
                .put("podsOnExistingCapacity", podsOnExistingCapacity)
                .put("podsUnschedulable", podsUnschedulable)
                .put("heapUsedMiB", Stats.round(heapUsedMiB, 1))
                .put("allocatedBytesPerPod", allocatedBytesPerPod);
    }
}
