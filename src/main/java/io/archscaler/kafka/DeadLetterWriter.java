package io.archscaler.kafka;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes records that cannot be read to the dead-letter topic, with the reason and their origin in headers. */
final class DeadLetterWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    DeadLetterWriter(KafkaProducer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
        // vertx-kafka-client reports a failed send to this handler as well as on the send's future, and without
        // a handler logs it as an unhandled error; the future is where it is dealt with
        producer.exceptionHandler(e -> LOG.debug("dead-letter producer: {}", e.toString()));
    }

    /** Succeeds once the broker has the dead letter; fails (and the record must be tried again) otherwise. */
    Future<Void> write(ConsumerRecord<byte[], byte[]> record, String reason) {
        return send(deadLetter(record, reason, record.value()))
            .recover(failure -> {
                // the value came in under the broker's limit but the headers pushed it over: keep the evidence, drop the bulk
                if (failure instanceof RecordTooLargeException && record.value() != null) {
                    return send(deadLetter(record, reason, null)
                        .addHeader(DeadLetterHeaders.VALUE_OMITTED, String.valueOf(record.value().length)));
                }
                return Future.failedFuture(failure);
            });
    }

    Future<Void> close() {
        return producer.close();
    }

    private Future<Void> send(KafkaProducerRecord<byte[], byte[]> out) {
        try {
            return producer.send(out).mapEmpty();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private KafkaProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, byte[] value) {
        KafkaProducerRecord<byte[], byte[]> out = KafkaProducerRecord.create(topic, record.key(), value);
        for (Header header : record.headers()) {
            out.addHeader(header.key(), header.value() == null ? Buffer.buffer() : Buffer.buffer(header.value()));
        }
        return out.addHeader(DeadLetterHeaders.REASON, reason)
            .addHeader(DeadLetterHeaders.SOURCE_TOPIC, record.topic())
            .addHeader(DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(record.partition()))
            .addHeader(DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(record.offset()));
    }
}
