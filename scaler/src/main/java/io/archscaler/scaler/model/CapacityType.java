package io.archscaler.scaler.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a group's instances are bought: spot (spare capacity, cheaper, may be taken back) or
 * on-demand. Nodes carry it in Karpenter's and EKS's labels, so pods can select on either.
 */
public enum CapacityType {
    SPOT("spot", "SPOT"),
    ON_DEMAND("on-demand", "ON_DEMAND");

    /** Karpenter's label: {@code spot} or {@code on-demand}. */
    public static final String LABEL = "karpenter.sh/capacity-type";
    /** EKS managed node groups' label: {@code SPOT} or {@code ON_DEMAND}. */
    public static final String EKS_LABEL = "eks.amazonaws.com/capacityType";

    private final String label;
    private final String eksLabel;

    CapacityType(String label, String eksLabel) {
        this.label = label;
        this.eksLabel = eksLabel;
    }

    /** The value of {@link #LABEL}, the config key and the {@code capacity_type} metric label. */
    public String label() {
        return label;
    }

    /** The value of {@link #EKS_LABEL}, and of EKS's and EC2's API enums. */
    public String eksLabel() {
        return eksLabel;
    }

    /** The capacity type a value names, in either spelling ({@code spot}, {@code SPOT}, {@code on-demand}, {@code ON_DEMAND}). */
    public static Optional<CapacityType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        for (CapacityType c : values()) {
            if (c.label.equals(v.toLowerCase(Locale.ROOT)) || c.eksLabel.equals(v.toUpperCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** What a node's labels say, Karpenter's label first; on-demand when neither says. */
    public static CapacityType ofLabels(Map<String, String> labels) {
        if (labels == null) {
            return ON_DEMAND;
        }
        return parse(labels.get(LABEL)).or(() -> parse(labels.get(EKS_LABEL))).orElse(ON_DEMAND);
    }

    @Override
    public String toString() {
        return label;
    }
}
