package io.archscaler.scaler.readiness;

import java.util.Locale;

/** Amounts written the way people read them in a report: {@code 1.5} cpu, {@code 512Mi}, {@code 2Gi}, {@code $12.34}. */
public final class Amount {
    private static final long MI = 1024L * 1024;

    private Amount() {
    }

    /** Cores: {@code 2}, {@code 0.25}, {@code 1.5}. */
    public static String cpu(long millis) {
        if (millis % 1000 == 0) {
            return Long.toString(millis / 1000);
        }
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0).replaceAll("0+$", "");
    }

    /** {@code 512Mi}, {@code 2Gi}, {@code 1.5Gi}: Gi from 1Gi up, Mi below; {@code 0} for nothing. */
    public static String memory(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        if (bytes >= 1024 * MI) {
            String gi = String.format(Locale.ROOT, "%.2f", bytes / (1024.0 * MI)).replaceAll("\\.?0+$", "");
            return gi + "Gi";
        }
        return String.format(Locale.ROOT, "%.0f", bytes / (double) MI) + "Mi";
    }

    /** Dollars with cents: {@code $12.34}, {@code -$0.50}. */
    public static String dollars(double amount) {
        double cents = Math.round(amount * 100) / 100.0;
        String text = String.format(Locale.ROOT, "$%,.2f", Math.abs(cents));
        return cents < 0 ? "-" + text : text;
    }

    /** Rounded to the cent, as JSON carries money. */
    public static double cents(double amount) {
        return Math.round(amount * 100) / 100.0;
    }
}
