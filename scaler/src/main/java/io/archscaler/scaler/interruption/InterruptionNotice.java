package io.archscaler.scaler.interruption;

import java.time.Instant;
import java.util.List;

/**
 * One message of the interruption queue, read.
 *
 * @param id          the EventBridge event id (the same event delivered twice keeps it)
 * @param instanceIds the EC2 instances it names ({@code detail.instance-id}, or a Health event's affected entities)
 * @param time        when AWS sent it (the envelope's {@code time}): a spot instance is reclaimed two minutes later
 * @param detail      what it says of them: the spot {@code instance-action}, the new {@code state}, the Health
 *                    {@code eventTypeCode}, or why it was ignored or could not be read
 */
public record InterruptionNotice(String id, InterruptionKind kind, List<String> instanceIds, Instant time,
                                 String detail) {
    public InterruptionNotice {
        instanceIds = List.copyOf(instanceIds);
    }
}
