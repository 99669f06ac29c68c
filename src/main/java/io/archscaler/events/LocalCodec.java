package io.archscaler.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable event object by reference between verticles of one process; events never
 * leave the JVM on the bus (Kafka carries them between processes), so no wire form is needed.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
    private final Class<T> type;

    public LocalCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(type.getSimpleName() + " is a local-only event");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(type.getSimpleName() + " is a local-only event");
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return "local-" + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
