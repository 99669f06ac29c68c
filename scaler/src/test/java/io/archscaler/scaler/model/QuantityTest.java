package io.archscaler.scaler.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantityTest {

    @ParameterizedTest(name = "{0} is {1} millicores")
    @CsvSource({
            "100m,   100",
            "0.5,    500",
            "2,      2000",
            "1.5,    1500",
            "+2,     2000",
            "0.0001, 1",
            "500u,   1",
            "1e3,    1000000",
            "1e-3,   1",
            "2k,     2000000",
            "0,      0",
            "1.,     1000",
            ".5,     500",
    })
    void cpuQuantitiesParseToMillicoresRoundingUp(String text, long millis) {
        assertThat(Quantity.parseMillis("cpu", text)).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0} is {1} units")
    @CsvSource({
            "1Gi,    1073741824",
            "1536Mi, 1610612736",
            "3G,     3000000000",
            "1e3,    1000",
            "1E3,    1000",
            "2k,     2000",
            "1Ki,    1024",
            "1.5Gi,  1610612736",
            "1Ti,    1099511627776",
            "1E,     1000000000000000000",
            "100m,   1",
            "0.0001, 1",
            "128974848, 128974848",
            "129M,   129000000",
            "123Mi,  128974848",
    })
    void wholeUnitQuantitiesParseExactlyRoundingUp(String text, long units) {
        assertThat(Quantity.parseUnits("memory", text)).isEqualTo(units);
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "abc       | expected a number",
            "-1        | must not be negative",
            "-100Mi    | must not be negative",
            "1Zi       | unknown suffix \"Zi\"",
            "1.2.3     | unknown suffix",
            "Gi        | expected a number",
            "1e        | unknown suffix",
            "1ee3      | unknown suffix",
            "1e999     | exponent out of range",
            "1e40      | exponent out of range",
            "1 Gi      | unknown suffix",
            "99999999999999999999E | too large",
    })
    void badQuantitiesAreRefusedNamingTheFieldAndTheProblem(String text, String why) {
        assertThatThrownBy(() -> Quantity.parseUnits("nodeGroups[0].capacity.memory", text))
                .isInstanceOf(InvalidQuantityException.class)
                .hasMessageContaining("nodeGroups[0].capacity.memory")
                .hasMessageContaining(text)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void missingOrBlankQuantitiesAreRefused(String text) {
        assertThatThrownBy(() -> Quantity.parseMillis("cpu", text))
                .isInstanceOf(InvalidQuantityException.class)
                .hasMessageStartingWith("cpu: invalid quantity");
    }
}
