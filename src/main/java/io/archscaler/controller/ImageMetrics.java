package io.archscaler.controller;

import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.LookupOutcome;
import io.archscaler.images.ReviewOutcome;
import io.archscaler.metrics.ArchscalerMetrics;

import java.time.Duration;

/** Counts image lookups and webhook reviews by outcome. */
final class ImageMetrics implements ImageLookupObserver {
    private final ArchscalerMetrics metrics;

    ImageMetrics(ArchscalerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void lookedUp(String registry, LookupOutcome outcome, Duration elapsed) {
        metrics.imageLookup(outcome.word());
    }

    @Override
    public void reviewed(ReviewOutcome outcome, Duration elapsed) {
        metrics.webhookReview(outcome.word());
    }
}
