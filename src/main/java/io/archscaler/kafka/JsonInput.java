package io.archscaler.kafka;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads untrusted record values into JSON trees with limits, and names what is wrong in one line. */
final class JsonInput {
    /** Deeper than any real Pod (managedFields included), shallow enough that no parser recursion hurts. */
    static final int MAX_DEPTH = 64;
    private static final int MAX_DETAIL = 160;

    private final int maxEventBytes;
    private final ObjectMapper mapper;

    JsonInput(int maxEventBytes) {
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive, got " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** The value as a JSON object, or why it is not one. */
    JsonNode readObject(byte[] value) throws EventDecodeException {
        if (value == null) {
            throw new EventDecodeException("record has no value");
        }
        if (value.length > maxEventBytes) {
            throw new EventDecodeException("event is " + value.length + " bytes, more than the limit of " + maxEventBytes);
        }
        String text = utf8(value);
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new EventDecodeException("JSON exceeds a limit: " + detail(e.getOriginalMessage()), e);
        } catch (JacksonException e) {
            throw new EventDecodeException("not JSON: " + detail(e.getOriginalMessage()), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new EventDecodeException("not JSON: the value is empty");
        }
        if (!node.isObject()) {
            throw new EventDecodeException("expected a JSON object, got " + typeName(node));
        }
        return node;
    }

    /** A string field that must be present and not blank. */
    static String requireText(JsonNode object, String field) throws EventDecodeException {
        JsonNode node = require(object, field);
        if (!node.isString()) {
            throw new EventDecodeException("field '" + field + "' must be a string, got " + typeName(node));
        }
        String text = node.stringValue();
        if (text.isBlank()) {
            throw new EventDecodeException("field '" + field + "' must not be empty");
        }
        return text;
    }

    /** A field that must be present and not null. */
    static JsonNode require(JsonNode object, String field) throws EventDecodeException {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw new EventDecodeException("missing field '" + field + "'");
        }
        return node;
    }

    static String typeName(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A parser or mapper message cut to one short line, for a header. */
    static String detail(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }

    private static String utf8(byte[] value) throws EventDecodeException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
        } catch (CharacterCodingException e) {
            throw new EventDecodeException("not UTF-8 text");
        }
    }
}
