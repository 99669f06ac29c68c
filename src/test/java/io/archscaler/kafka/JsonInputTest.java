package io.archscaler.kafka;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The byte-level UTF-8 check judges as the JDK's strict decoder does, and NUL bytes are refused as not JSON. */
class JsonInputTest {
    @Property(tries = 2000)
    void randomBytesAreJudgedAsTheStrictDecoderJudgesThem(@ForAll @Size(max = 40) byte[] value) {
        assertSameVerdict(value);
    }

    @Property(tries = 2000)
    void textWithBytesChangedIsJudgedAsTheStrictDecoderJudgesIt(@ForAll("text") String text, @ForAll byte[] changes) {
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k + 1 < changes.length && value.length > 0; k += 2) {
            value[Math.floorMod(changes[k], value.length)] = changes[k + 1];
        }
        assertSameVerdict(value);
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

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(20);
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
