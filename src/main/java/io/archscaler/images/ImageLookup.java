package io.archscaler.images;

/** The outcome of looking an image up: its platforms, or why they are not known. */
public sealed interface ImageLookup permits ImagePlatforms, ImageLookupFailure {
    /** The normalised reference that was looked up (or the text given, when it did not parse). */
    String reference();
}
