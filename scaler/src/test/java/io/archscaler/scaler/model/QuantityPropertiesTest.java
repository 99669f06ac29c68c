package io.archscaler.scaler.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityPropertiesTest {

    @Property(tries = 2000)
    void anyStringEitherParsesToANonNegativeValueOrIsRefusedAsInvalid(@ForAll @StringLength(max = 80) String text) {
        assertParsesOrIsRefused(text);
    }

    @Property(tries = 3000)
    void quantityLikeStringsEitherParseOrAreRefusedAsInvalid(@ForAll("quantityLike") String text) {
        assertParsesOrIsRefused(text);
    }

    @Provide
    Arbitrary<String> quantityLike() {
        return Arbitraries.strings().withChars("0123456789.+-eEkKMGTPmuni ").ofMaxLength(24);
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
