package io.archscaler.readiness;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** How {@code readiness} prints its report: a table for people, JSON for machines, one HTML page to share. */
enum ReadinessFormat {
    TABLE, JSON, HTML;

    /** Accepts {@code table}, {@code json} and {@code html} in any case. */
    static final class Converter implements ITypeConverter<ReadinessFormat> {
        @Override
        public ReadinessFormat convert(String value) {
            try {
                return ReadinessFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected table, json or html (got \"" + value + "\")");
            }
        }
    }
}
