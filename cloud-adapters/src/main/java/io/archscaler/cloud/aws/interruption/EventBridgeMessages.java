package io.archscaler.cloud.aws.interruption;

import io.archscaler.scaler.interruption.InterruptionKind;
import io.archscaler.scaler.interruption.InterruptionNotice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the EventBridge events an interruption queue holds (the SQS message body is the event
 * itself): the envelope's {@code source}, {@code detail-type}, {@code id} and {@code time}, and of
 * {@code detail}:
 * <ul>
 *   <li>{@code aws.ec2} "EC2 Spot Instance Interruption Warning": {@code instance-id}, {@code instance-action};</li>
 *   <li>{@code aws.ec2} "EC2 Instance Rebalance Recommendation": {@code instance-id};</li>
 *   <li>{@code aws.ec2} "EC2 Instance State-change Notification": {@code instance-id}, {@code state} (only
 *       stopping, stopped, shutting-down and terminated are acted on);</li>
 *   <li>{@code aws.health} "AWS Health Event" with {@code service} EC2 and {@code eventTypeCategory}
 *       scheduledChange: {@code affectedEntities[].entityValue} are the instances.</li>
 * </ul>
 * Anything else well-formed is {@link InterruptionKind#OTHER}; what cannot be read is
 * {@link InterruptionKind#MALFORMED}, with why in the notice's detail. Never throws.
 */
public final class EventBridgeMessages {
    static final String SPOT_WARNING = "EC2 Spot Instance Interruption Warning";
    static final String REBALANCE = "EC2 Instance Rebalance Recommendation";
    static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    static final String HEALTH_EVENT = "AWS Health Event";
    private static final Set<String> GONE_STATES = Set.of("stopping", "stopped", "shutting-down", "terminated");
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventBridgeMessages() {
    }

    /** The notice a message body holds; {@code messageId} names it when the body has no event id of its own. */
    public static InterruptionNotice parse(String messageId, String body) {
        try {
            return read(messageId, body);
        } catch (Unreadable e) {
            return new InterruptionNotice(messageId, InterruptionKind.MALFORMED, List.of(), Instant.EPOCH,
                    e.getMessage());
        }
    }

    private static InterruptionNotice read(String messageId, String body) {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw new Unreadable("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Unreadable("not a JSON object");
        }
        String source = text(root, "source");
        String type = text(root, "detail-type");
        String id = root.hasNonNull("id") ? text(root, "id") : messageId;
        Instant time = time(root);
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new Unreadable("\"detail\": expected an object");
        }
        if ("aws.ec2".equals(source)) {
            return switch (type) {
                case SPOT_WARNING -> new InterruptionNotice(id, InterruptionKind.SPOT_INTERRUPTION,
                        List.of(instanceId(detail)), time, optionalText(detail, "instance-action"));
                case REBALANCE -> new InterruptionNotice(id, InterruptionKind.REBALANCE_RECOMMENDATION,
                        List.of(instanceId(detail)), time, "");
                case STATE_CHANGE -> stateChange(id, time, detail);
                default -> other(id, time, source, type);
            };
        }
        if ("aws.health".equals(source) && HEALTH_EVENT.equals(type)) {
            return health(id, time, detail);
        }
        return other(id, time, source, type);
    }

    private static InterruptionNotice stateChange(String id, Instant time, JsonNode detail) {
        String instance = instanceId(detail);
        String state = text(detail, "state").toLowerCase(Locale.ROOT);
        InterruptionKind kind = GONE_STATES.contains(state) ? InterruptionKind.STATE_CHANGE : InterruptionKind.OTHER;
        return new InterruptionNotice(id, kind, List.of(instance), time, state);
    }

    private static InterruptionNotice health(String id, Instant time, JsonNode detail) {
        String service = optionalText(detail, "service");
        String category = optionalText(detail, "eventTypeCategory");
        String code = optionalText(detail, "eventTypeCode");
        if (!"EC2".equals(service) || !"scheduledChange".equals(category)) {
            return new InterruptionNotice(id, InterruptionKind.OTHER, List.of(), time,
                    "AWS Health " + service + " " + category + " " + code);
        }
        JsonNode entities = detail.get("affectedEntities");
        if (entities == null || !entities.isArray()) {
            throw new Unreadable("\"detail.affectedEntities\": expected an array");
        }
        List<String> instances = new ArrayList<>();
        for (JsonNode e : entities) {
            String value = e.isObject() ? optionalText(e, "entityValue") : "";
            // Health names other resources too (volumes, hosts): only instances are nodes
            if (INSTANCE_ID.matcher(value).matches()) {
                instances.add(value);
            }
        }
        return new InterruptionNotice(id, InterruptionKind.SCHEDULED_CHANGE, instances, time, code);
    }

    private static InterruptionNotice other(String id, Instant time, String source, String type) {
        return new InterruptionNotice(id, InterruptionKind.OTHER, List.of(), time, source + " \"" + type + "\"");
    }

    private static String instanceId(JsonNode detail) {
        String id = text(detail, "instance-id");
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new Unreadable("\"detail.instance-id\": expected an EC2 instance id such as i-0abc12345def67890, got \""
                    + id + "\"");
        }
        return id;
    }

    private static Instant time(JsonNode root) {
        String t = text(root, "time");
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new Unreadable("\"time\": expected an ISO-8601 instant such as 2026-11-22T10:00:00Z, got \"" + t + "\"");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString() || v.stringValue().isBlank()) {
            throw new Unreadable("\"" + field + "\": expected a non-empty string");
        }
        return v.stringValue();
    }

    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isString() ? v.stringValue() : "";
    }

    /** Why a message cannot be read; never leaves this class. */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
