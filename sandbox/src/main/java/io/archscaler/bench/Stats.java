package io.archscaler.bench;

import java.util.Arrays;

/** Percentiles of timings and the slope of a log-log fit, as the benchmarks report them. */
public final class Stats {
    private Stats() {
    }

    /** The nearest-rank percentile ({@code q} in 0..1) of the values; 0 when there are none. */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * The least-squares slope of ln(y) over ln(x): how the time grows with the size, 1 meaning
     * linear. Needs two or more points with distinct x, all positive.
     */
    public static double logLogSlope(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need two or more (x, y) points, got " + x.length + " and " + y.length);
        }
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            if (x[i] <= 0 || y[i] <= 0) {
                throw new IllegalArgumentException("log-log fit needs positive values, got (" + x[i] + ", " + y[i] + ")");
            }
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("log-log fit needs distinct x values");
        }
        return sxy / sxx;
    }

    /** Rounds to {@code digits} decimals, for readable JSON. */
    public static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
