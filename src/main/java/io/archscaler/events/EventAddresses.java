package io.archscaler.events;

/**
 * The Vert.x event-bus addresses every source publishes to and the scaler listens on. The
 * constants are a single-cluster controller's; a fleet replica runs one controller per cluster in
 * one Vert.x, each on the addresses {@link #forCluster} makes from its name.
 */
public final class EventAddresses {
    /** The addresses of a single-cluster controller: the constants below. */
    public static final EventAddresses SINGLE = new EventAddresses("archscaler.pods", "archscaler.pod-batches",
            "archscaler.nodes", "archscaler.metrics", "archscaler.objects", "archscaler.status");

    /** {@link PodEvent}s; request/reply: the reply says the event was applied. */
    public static final String PODS = "archscaler.pods";
    /** {@link PodEventBatch}es from the Kafka source; request/reply: one reply once every event of it was applied. */
    public static final String POD_BATCHES = "archscaler.pod-batches";
    /** {@link NodeChanged} events. */
    public static final String NODES = "archscaler.nodes";
    /** {@link MetricSample}s; request/reply like pods. */
    public static final String METRICS = "archscaler.metrics";
    /** Other cluster objects the planner needs (DaemonSets, PDBs, HPAs, workloads): {@link ObjectChanged}. */
    public static final String OBJECTS = "archscaler.objects";

    /**
     * {@code InterruptionNotice}s read from the interruption queue; request/reply: the reply, an
     * {@link InterruptionReport}, says whether the message may be deleted.
     */
    public static final String INTERRUPTIONS = "archscaler.interruptions";

    private final String pods;
    private final String podBatches;
    private final String nodes;
    private final String metrics;
    private final String objects;
    private final String status;

    private EventAddresses(String pods, String podBatches, String nodes, String metrics, String objects, String status) {
        this.pods = pods;
        this.podBatches = podBatches;
        this.nodes = nodes;
        this.metrics = metrics;
        this.objects = objects;
        this.status = status;
    }

    /** The addresses of one cluster of a fleet: {@code archscaler.cluster.<name>.pods}, … */
    public static EventAddresses forCluster(String cluster) {
        String p = "archscaler.cluster." + cluster + ".";
        return new EventAddresses(p + "pods", p + "pod-batches", p + "nodes", p + "metrics", p + "objects", p + "status");
    }

    public String pods() {
        return pods;
    }

    public String podBatches() {
        return podBatches;
    }

    public String nodes() {
        return nodes;
    }

    public String metrics() {
        return metrics;
    }

    public String objects() {
        return objects;
    }

    /** Where the scaler answers with its status JSON (HTTP {@code /status}, the status ConfigMap). */
    public String status() {
        return status;
    }
}
