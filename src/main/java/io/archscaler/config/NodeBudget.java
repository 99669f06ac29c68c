package io.archscaler.config;

/** A number of nodes given either as a count ({@code 3}) or as a share of the cluster ({@code "10%"}). */
public record NodeBudget(int value, boolean isPercent) {

    public static NodeBudget count(int n) {
        return new NodeBudget(n, false);
    }

    public static NodeBudget percent(int p) {
        return new NodeBudget(p, true);
    }

    /** The count for a cluster of {@code total} nodes; a percentage rounds up, so 10% of 5 nodes is 1. */
    public int of(int total) {
        return isPercent ? (int) Math.ceil(total * (value / 100.0)) : value;
    }

    @Override
    public String toString() {
        return isPercent ? value + "%" : Integer.toString(value);
    }
}
