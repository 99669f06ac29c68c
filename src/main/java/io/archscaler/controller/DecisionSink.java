package io.archscaler.controller;

import io.archscaler.events.Decision;

import java.util.function.Consumer;

/** Somewhere decisions are written to (the Kafka decisions topic); must not block or throw. */
public interface DecisionSink extends Consumer<Decision> {
}
