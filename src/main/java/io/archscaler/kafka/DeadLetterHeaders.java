package io.archscaler.kafka;

/** Names of the headers a dead-lettered record carries besides its original key, value and headers. */
public final class DeadLetterHeaders {
    /** Why the record could not be read, one line. */
    public static final String REASON = "archscaler.dead-letter.reason";
    /** Topic, partition and offset the record came from. */
    public static final String SOURCE_TOPIC = "archscaler.source.topic";
    public static final String SOURCE_PARTITION = "archscaler.source.partition";
    public static final String SOURCE_OFFSET = "archscaler.source.offset";
    /** Set (to the original size in bytes) when the value was too large to write again and was left out. */
    public static final String VALUE_OMITTED = "archscaler.dead-letter.value-omitted";

    private DeadLetterHeaders() {
    }
}
