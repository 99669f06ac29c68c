package io.archscaler.images;

/** Why a registry did not tell an image's platforms; a failed lookup stage carries it. */
public final class ImageLookupException extends Exception {
    private final FailureReason reason;
    private final String detail;

    public ImageLookupException(FailureReason reason, String detail) {
        super(detail == null ? reason.words() : reason.words() + ": " + detail);
        this.reason = reason;
        this.detail = detail;
    }

    public FailureReason reason() {
        return reason;
    }

    /** More about why, or null. */
    public String detail() {
        return detail;
    }

    ImageLookupFailure toFailure(String reference) {
        return new ImageLookupFailure(reference, reason, detail);
    }
}
