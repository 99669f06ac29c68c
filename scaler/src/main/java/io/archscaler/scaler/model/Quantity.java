package io.archscaler.scaler.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Parses Kubernetes resource quantities ({@code 100m}, {@code 0.5}, {@code 1Gi}, {@code 1536Mi},
 * {@code 3G}, {@code 1e3}, {@code 2k}) exactly, as apimachinery's {@code resource.Quantity} does.
 */
public final class Quantity {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Quantity() {
    }

    /** The exact value of a quantity; {@code field} names it in the error message. */
    public static BigDecimal parse(String field, String text) {
        if (text == null) {
            throw new InvalidQuantityException(field, "null", "missing value");
        }
        String s = text.trim();
        if (s.isEmpty()) {
            throw new InvalidQuantityException(field, text, "empty");
        }
        if (s.length() > 64) {
            throw new InvalidQuantityException(field, s.substring(0, 64) + "…", "too long");
        }
        int i = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            i++;
        }
        boolean dot = false;
        int digits = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
            i++;
        }
        if (digits == 0) {
            throw new InvalidQuantityException(field, text, "expected a number such as 500m, 2, 1.5Gi");
        }
        BigDecimal number = new BigDecimal(s.substring(0, i));
        if (number.signum() < 0) {
            throw new InvalidQuantityException(field, text, "must not be negative");
        }
        String suffix = s.substring(i);
        BigDecimal value = number.multiply(multiplier(field, text, suffix));
        if (value.signum() < 0) {
            throw new InvalidQuantityException(field, text, "must not be negative");
        }
        return value;
    }

    /** CPU in millicores, rounded up as the API server rounds ({@code 0.0001} is {@code 1m}). */
    public static long parseMillis(String field, String text) {
        return toLong(field, text, parse(field, text).multiply(THOUSAND));
    }

    /** A whole-unit quantity (bytes, pods, GPUs), rounded up. */
    public static long parseUnits(String field, String text) {
        return toLong(field, text, parse(field, text));
    }

    private static long toLong(String field, String text, BigDecimal v) {
        BigDecimal rounded = v.setScale(0, RoundingMode.CEILING);
        if (rounded.compareTo(LONG_MAX) > 0) {
            throw new InvalidQuantityException(field, text, "too large");
        }
        return rounded.longValueExact();
    }

    private static BigDecimal multiplier(String field, String text, String suffix) {
        switch (suffix) {
            case "":
                return BigDecimal.ONE;
            case "n":
                return new BigDecimal("1e-9");
            case "u":
                return new BigDecimal("1e-6");
            case "m":
                return new BigDecimal("1e-3");
            case "k":
                return new BigDecimal("1e3");
            case "M":
                return new BigDecimal("1e6");
            case "G":
                return new BigDecimal("1e9");
            case "T":
                return new BigDecimal("1e12");
            case "P":
                return new BigDecimal("1e15");
            case "E":
                return new BigDecimal("1e18");
            case "Ki":
                return binary(10);
            case "Mi":
                return binary(20);
            case "Gi":
                return binary(30);
            case "Ti":
                return binary(40);
            case "Pi":
                return binary(50);
            case "Ei":
                return binary(60);
            default:
                return exponent(field, text, suffix);
        }
    }

    private static BigDecimal binary(int shift) {
        return new BigDecimal(BigInteger.ONE.shiftLeft(shift));
    }

    private static BigDecimal exponent(String field, String text, String suffix) {
        if ((suffix.startsWith("e") || suffix.startsWith("E")) && suffix.length() > 1) {
            String exp = suffix.substring(1);
            if (exp.matches("[+-]?[0-9]{1,3}")) {
                int e = Integer.parseInt(exp);
                if (e > 30 || e < -30) {
                    throw new InvalidQuantityException(field, text, "exponent out of range");
                }
                return BigDecimal.ONE.scaleByPowerOfTen(e);
            }
        }
        throw new InvalidQuantityException(field, text,
                "unknown suffix \"" + suffix + "\" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3)");
    }
}
