package io.archscaler.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations ({@code 500ms}, {@code 10s}, {@code 1h30m}), as Kubernetes tools write them. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:\\.[0-9]*)?(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    /** The duration, or empty when the text is not a non-negative Go duration ({@code "0"} is allowed). */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!WHOLE.matcher(s).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        try {
            return Optional.of(Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact()));
        } catch (ArithmeticException tooLong) {
            return Optional.empty();
        }
    }

    /** Writes a duration the way Go does, leaving out zero units: {@code 1h30m}, {@code 1.5s}, {@code 500ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = d.toNanos();
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + "ms";
            }
            return nanos % 1000 == 0 ? nanos / 1000 + "us" : nanos + "ns";
        }
        StringBuilder sb = new StringBuilder();
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        BigDecimal seconds = BigDecimal.valueOf(d.toSecondsPart())
                .add(BigDecimal.valueOf(d.toNanosPart(), 9)).stripTrailingZeros();
        if (seconds.signum() > 0) {
            sb.append(seconds.toPlainString()).append('s');
        }
        return sb.toString();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
