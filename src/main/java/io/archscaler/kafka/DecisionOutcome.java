package io.archscaler.kafka;

/** How far a scale action got when its decision record was written. */
public enum DecisionOutcome {
    REQUESTED("requested"),
    FAILED("failed"),
    SUCCEEDED("succeeded");

    private final String json;

    DecisionOutcome(String json) {
        this.json = json;
    }

    /** The value of the {@code outcome} field. */
    public String json() {
        return json;
    }
}
