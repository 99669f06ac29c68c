package io.archscaler.events;

import io.vertx.core.eventbus.EventBus;

/** Registers the local codecs of every event type on one event bus, once per Vert.x instance. */
public final class EventCodecs {
    private EventCodecs() {
    }

    public static void register(EventBus bus) {
        register(bus, PodPending.class);
        register(bus, PodScheduled.class);
        register(bus, PodDeleted.class);
        register(bus, PodEventBatch.class);
        register(bus, NodeChanged.class);
        register(bus, MetricSample.class);
        register(bus, ObjectChanged.class);
        register(bus, io.archscaler.scaler.interruption.InterruptionNotice.class);
        register(bus, InterruptionReport.class);
    }

    private static <T> void register(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new LocalCodec<>(type));
    }
}
