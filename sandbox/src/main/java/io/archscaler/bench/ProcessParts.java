package io.archscaler.bench;

import java.util.List;

/** The parts of the benchmark's process its cpu is split into, and which part a thread works for. */
final class ProcessParts {
    static final String EVENT_LOOPS = "Vert.x event loops (Kafka source, scaler, HTTP, sandbox API server)";
    static final String CONSUMER = "controller's Kafka clients";
    static final String PLANNER = "planner (Vert.x worker)";
    static final String RECORDER = "Kubernetes Event recorder";
    static final String BROKER = "Kafka broker";
    static final String HARNESS = "benchmark (producer, offset reader)";
    static final String OTHER = "other threads";
    static final List<String> ALL = List.of(EVENT_LOOPS, CONSUMER, PLANNER, RECORDER, BROKER, HARNESS, OTHER);

    private ProcessParts() {
    }

    /** Which part of the process a thread works for, by its name. */
    static String of(String thread) {
        if (thread.startsWith("vert.x-eventloop-thread")) {
            return EVENT_LOOPS;
        }
        if (thread.startsWith("vert.x-worker-thread")) {
            return PLANNER;
        }
        if (thread.startsWith("vert.x-kafka") || thread.contains("| archscaler")) {
            return CONSUMER;
        }
        if (thread.startsWith("archscaler-events")) {
            return RECORDER;
        }
        if (thread.equals("main") || thread.startsWith("bench-") || thread.startsWith("kafka-admin-client")
                || thread.startsWith("kafka-producer-network-thread")) {
            return HARNESS;
        }
        if (thread.startsWith("data-plane") || thread.contains("kafka") || thread.contains("raft")
                || thread.startsWith("group-coordinator") || thread.startsWith("quorum") || thread.startsWith("broker")
                || thread.startsWith("controller-") || thread.startsWith("share-") || thread.startsWith("transaction")) {
            return BROKER;
        }
        return OTHER;
    }
}
