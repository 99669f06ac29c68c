package io.archscaler.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, in-process, on free loopback ports) for one test class: started before
 * its {@code @BeforeAll} methods, closed after its {@code @AfterAll} ones. Register it as
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}.
 * A controller named {@code NAME} reads {@code pods-NAME} and {@code metrics-NAME} as group
 * {@code group-NAME}, and writes {@code decisions-NAME} and {@code dlq-NAME}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    /** The broker itself, to stop and restart it. */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates the four topics of the controller named {@code name}. */
    public void createTopics(String name) {
        broker.createTopics("pods-" + name, "metrics-" + name, "decisions-" + name, "dlq-" + name);
    }

    /** The {@code kafka:} config block of the controller named {@code name}, events up to the default size. */
    public String configBlock(String name) {
        return "kafka: {bootstrapServers: \"" + broker.bootstrapServers() + "\", groupId: group-" + name
                + ", topics: {podEvents: pods-" + name + ", metricEvents: metrics-" + name + ", decisions: decisions-"
                + name + ", deadLetter: dlq-" + name + "}}";
    }

    /** The same, with events of up to {@code maxEventBytes}. */
    public String configBlock(String name, long maxEventBytes) {
        return configBlock(name).replaceFirst(", topics:", ", maxEventBytes: " + maxEventBytes + ", topics:");
    }
}
