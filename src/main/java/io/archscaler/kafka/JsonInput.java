package io.archscaler.kafka;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.Locale;

/** Reads untrusted record values as JSON, with limits, and names what is wrong in one line. */
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
        check(value);
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JacksonException e) {
            throw malformed(e);
        }
        if (node == null || node.isMissingNode()) {
            throw new EventDecodeException("not JSON: the value is empty");
        }
        if (!node.isObject()) {
            throw new EventDecodeException("expected a JSON object, got " + typeName(node));
        }
        return node;
    }

    /** A parser over the value, once it is known to be within the size limit and UTF-8 text; limits apply as it reads. */
    JsonParser parser(byte[] value) throws EventDecodeException {
        check(value);
        return mapper.createParser(value);
    }

    /** Why the parser stopped, in one line. */
    static EventDecodeException malformed(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return new EventDecodeException("JSON exceeds a limit: " + detail(e.getOriginalMessage()), e);
        }
        return new EventDecodeException("not JSON: " + detail(e.getOriginalMessage()), e);
    }

    private void check(byte[] value) throws EventDecodeException {
        if (value == null) {
            throw new EventDecodeException("record has no value");
        }
        if (value.length > maxEventBytes) {
            throw new EventDecodeException("event is " + value.length + " bytes, more than the limit of " + maxEventBytes);
        }
        int bad = firstNotUtf8Text(value);
        if (bad >= 0) {
            // JSON text has no raw NUL; bytes with NULs are UTF-16 or UTF-32, which the parser would otherwise take
            throw new EventDecodeException(value[bad] == 0 ? "not JSON: a NUL byte at offset " + bad : "not UTF-8 text");
        }
    }

    /**
     * The index of the first byte that is a NUL or not part of well-formed UTF-8 (RFC 3629: no
     * overlong forms, no surrogates, nothing past U+10FFFF), or -1. A loop over the bytes, as the
     * JDK's strict decoder would judge them, without decoding them into a String first.
     */
    static int firstNotUtf8Text(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i];
            if (c > 0) {
                i++;
                continue;
            }
            if (c == 0) {
                return i;
            }
            c &= 0xFF;
            int length = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
            if (length == 0 || i + length > b.length) {
                return i;
            }
            int second = b[i + 1] & 0xFF;
            boolean overlongOrOutOfRange = (c == 0xE0 && second < 0xA0) || (c == 0xED && second >= 0xA0)
                || (c == 0xF0 && second < 0x90) || (c == 0xF4 && second >= 0x90);
            if (overlongOrOutOfRange) {
                return i;
            }
            for (int k = 1; k < length; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
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

    /** The same names as {@link #typeName(JsonNode)}, for a parser's token at the start of a value. */
    static String typeName(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> "pojo";
        };
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
}
