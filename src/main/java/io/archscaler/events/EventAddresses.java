package io.archscaler.events;

/** The Vert.x event-bus addresses every source publishes to and the scaler listens on. */
public final class EventAddresses {
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

    private EventAddresses() {
    }
}
