package io.archscaler.scaler.model;

import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityPropertiesTest {
    private static final String QUANTITY_CHARS = "0123456789.+-eEkKMGTPmuni ";

    @ParameterizedTest(name = "seed {0}")
    @Seeds(2000)
    void anyStringEitherParsesToANonNegativeValueOrIsRefusedAsInvalid(long seed) {
        String text = new Gen(seed).string(80);
        Tries.check(seed, () -> assertParsesOrIsRefused(text), text);
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(3000)
    void quantityLikeStringsEitherParseOrAreRefusedAsInvalid(long seed) {
        String text = new Gen(seed).string(QUANTITY_CHARS, 24);
        Tries.check(seed, () -> assertParsesOrIsRefused(text), text);
    }

    /** Empty, blank, control characters, a lone surrogate, the longest strings, signs and suffixes alone. */
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\0", "\t", "\n", "\ud800", "\uffff", "0", "-0", "+0", ".", "-", "+", "e", "E",
        "1e", "e1", "1e-", ".5", "5.", "k", "Ki", "m", "n", "u", "1 ", " 1", "1e400", "1e-400", "-1",
        "99999999999999999999999999999999",
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "eeeeeeeeeeeeeeeeeeeeeeee", "------------------------", "1.5Ki", "1E3m", "8Ei", "9Ei", "1e18", "1e19"})
    void edgeStringsEitherParseOrAreRefusedAsInvalid(String text) {
        assertParsesOrIsRefused(text);
    }

    private static void assertParsesOrIsRefused(String text) {
        try {
            BigDecimal value = Quantity.parse("q", text);
            assertThat(value.signum()).isGreaterThanOrEqualTo(0);
        } catch (InvalidQuantityException refused) {
            assertThat(refused.getMessage()).startsWith("q: invalid quantity");
        }
        try {
            assertThat(Quantity.parseMillis("q", text)).isGreaterThanOrEqualTo(0);
        } catch (InvalidQuantityException refused) {
            assertThat(refused.getMessage()).startsWith("q: invalid quantity");
        }
        try {
            assertThat(Quantity.parseUnits("q", text)).isGreaterThanOrEqualTo(0);
        } catch (InvalidQuantityException refused) {
            assertThat(refused.getMessage()).startsWith("q: invalid quantity");
        }
    }
}
