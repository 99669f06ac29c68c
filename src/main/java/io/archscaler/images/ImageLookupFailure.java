package io.archscaler.images;

/**
 * A lookup that did not learn the image's platforms.
 *
 * @param reference the normalised reference (or the text given, when it did not parse)
 * @param reason    why
 * @param detail    more about why (an HTTP status, what is wrong with a manifest), or null
 */
public record ImageLookupFailure(String reference, FailureReason reason, String detail) implements ImageLookup {
    /** {@code not found}, {@code timeout}, {@code bad manifest: no config descriptor}, … */
    public String message() {
        return detail == null || detail.isEmpty() ? reason.words() : reason.words() + ": " + detail;
    }
}
