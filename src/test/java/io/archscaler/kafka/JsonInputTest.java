package io.archscaler.kafka;

import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The byte-level UTF-8 check judges as the JDK's strict decoder does, and NUL bytes are refused as not JSON. */
class JsonInputTest {
    @ParameterizedTest(name = "seed {0}")
    @Seeds(2000)
    void randomBytesAreJudgedAsTheStrictDecoderJudgesThem(long seed) {
        byte[] value = new Gen(seed).bytes(40);
        Tries.check(seed, () -> assertSameVerdict(value), value);
    }

    @Test
    void everyInputOfUpToTwoBytesIsJudgedAsTheStrictDecoderJudgesIt() {
        assertSameVerdict(new byte[0]);
        for (int first = 0; first < 256; first++) {
            assertSameVerdict(new byte[] {(byte) first});
            for (int second = 0; second < 256; second++) {
                assertSameVerdict(new byte[] {(byte) first, (byte) second});
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(2000)
    void textWithBytesChangedIsJudgedAsTheStrictDecoderJudgesIt(long seed) {
        Gen gen = new Gen(seed);
        String text = gen.string(20);
        // up to 127 changes, each a position and a new byte
        byte[] changes = gen.bytes(255);
        Tries.check(seed, () -> assertSameVerdict(changed(text, changes)), text, changes);
    }

    @ParameterizedTest(name = "\"{0}\" changed by {1}")
    @CsvSource(delimiter = '|', value = {"''|''", "''|0 65", "a|''", "a|0 0", "a|0 -1", "\u00e9|1 65", "\u00e9|0 -128",
        "\u20ac|2 -1", "\ud83d\ude80|3 -128", "\ud800|0 0"})
    void textAtTheEdgesWithBytesChangedIsJudgedAsTheStrictDecoderJudgesIt(String text, String changes) {
        String[] pairs = changes.isEmpty() ? new String[0] : changes.split(" ");
        byte[] bytes = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            bytes[i] = Byte.parseByte(pairs[i]);
        }
        assertSameVerdict(changed(text, bytes));
    }

    @Test
    void boundariesOfEachEncodedLength() {
        for (int codePoint : new int[] {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF}) {
            byte[] value = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            assertThat(JsonInput.firstNotUtf8Text(value)).as("U+%X", codePoint).isEqualTo(-1);
        }
        byte[][] refused = {
            {(byte) 0xC1, (byte) 0xBF}, // overlong U+007F
            {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, // overlong U+07FF
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // surrogate U+D800
            {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, // overlong U+FFFF
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // U+110000
            {(byte) 0xE2, (byte) 0x82}, // cut short
        };
        for (byte[] value : refused) {
            assertThat(JsonInput.firstNotUtf8Text(value)).isZero();
        }
    }

    @Test
    void utf16TextIsRefusedAsNotJsonRatherThanDetectedAndRead() {
        JsonInput input = new JsonInput(1024);
        byte[] utf16 = "{\"cluster\": \"prod\"}".getBytes(StandardCharsets.UTF_16BE);

        assertThatThrownBy(() -> input.readObject(utf16)).hasMessage("not JSON: a NUL byte at offset 0");
    }

    /** The text's UTF-8 with each pair of changes setting one byte: at the first modulo the length, to the second. */
    private static byte[] changed(String text, byte[] changes) {
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k + 1 < changes.length && value.length > 0; k += 2) {
            value[Math.floorMod(changes[k], value.length)] = changes[k + 1];
        }
        return value;
    }

    private static void assertSameVerdict(byte[] value) {
        int first = JsonInput.firstNotUtf8Text(value);
        boolean hasNul = false;
        for (byte b : value) {
            hasNul |= b == 0;
        }
        if (!hasNul) {
            assertThat(first == -1).as("%s", java.util.Arrays.toString(value)).isEqualTo(strictlyUtf8(value));
        } else if (strictlyUtf8(value)) {
            assertThat(value[first]).isZero();
        }
    }

    private static boolean strictlyUtf8(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
