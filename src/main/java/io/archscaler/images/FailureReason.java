package io.archscaler.images;

/** Why the platforms of an image could not be learnt. */
public enum FailureReason {
    NOT_FOUND("not found", LookupOutcome.NOT_FOUND),
    UNAUTHORIZED("unauthorized", LookupOutcome.UNAUTHORIZED),
    TIMEOUT("timeout", LookupOutcome.TIMEOUT),
    BAD_MANIFEST("bad manifest", LookupOutcome.ERROR),
    UNREACHABLE("unreachable", LookupOutcome.ERROR),
    INVALID_REFERENCE("invalid reference", LookupOutcome.ERROR);

    private final String words;
    private final LookupOutcome outcome;

    FailureReason(String words, LookupOutcome outcome) {
        this.words = words;
        this.outcome = outcome;
    }

    /** How the reason is written in output: {@code not found}, {@code bad manifest}, … */
    public String words() {
        return words;
    }

    /** The outcome an observer is told of. */
    public LookupOutcome outcome() {
        return outcome;
    }
}
