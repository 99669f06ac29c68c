package io.archscaler.images;

import java.time.Duration;

/** Told of every image lookup and every webhook review, so metrics can count them. */
public interface ImageLookupObserver {
    /** An observer that does nothing. */
    ImageLookupObserver NOOP = new ImageLookupObserver() {
    };

    /**
     * One lookup ended.
     *
     * @param registry the registry host of the image (empty when the reference did not parse)
     * @param outcome  {@code hit} when served from the cache, otherwise how the registry answered
     * @param elapsed  how long the caller waited
     */
    default void lookedUp(String registry, LookupOutcome outcome, Duration elapsed) {
    }

    /** The placement webhook answered a review. */
    default void reviewed(ReviewOutcome outcome, Duration elapsed) {
    }
}
