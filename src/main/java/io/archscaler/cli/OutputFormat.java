package io.archscaler.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** How a command prints its result: {@code json} for machines, {@code table} for people. */
public enum OutputFormat {
    JSON, TABLE;

    /** Accepts {@code json} and {@code table} in any case. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected json or table (got \"" + value + "\")");
            }
        }
    }
}
