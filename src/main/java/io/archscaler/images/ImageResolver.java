package io.archscaler.images;

import io.archscaler.scaler.model.Arch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Looks images' platforms up, remembering the answers.
 *
 * <p>Answers are kept by reference and by digest for {@code ttl}, failures for {@code negativeTtl}
 * (per reference and credential, so a pod with a pull secret is not refused for one without).
 * At most {@code maxConcurrent} lookups run at once; lookups of a reference already being looked up
 * share that lookup. The returned stages never fail: a failure is an {@link ImageLookupFailure}.
 * The observer hears {@code hit} for every answer that cost no request of its own (from a cache,
 * or shared with a lookup already under way).
 */
public final class ImageResolver {
    private static final int PRUNE_ABOVE = 4096;

    private final RegistryClient client;
    private final Clock clock;
    private final ImageLookupObserver observer;
    private final Duration ttl;
    private final Duration negativeTtl;
    private final AsyncLimiter limiter;
    private final ConcurrentMap<String, Expiring<String>> digestByReference = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Expiring<ImagePlatforms>> byDigest = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Expiring<ImageLookupFailure>> failures = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Expiring<Boolean>> notArm64 = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<ImageLookup>> inFlight = new ConcurrentHashMap<>();

    public ImageResolver(RegistryClient client, RegistryConfig config, Clock clock, ImageLookupObserver observer) {
        this.client = client;
        this.clock = clock;
        this.observer = observer;
        this.ttl = config.ttl();
        this.negativeTtl = config.negativeTtl();
        this.limiter = new AsyncLimiter(config.maxConcurrent());
    }

    /** A resolver with its own HTTP client, for the given configuration. */
    public static ImageResolver create(RegistryConfig config, Clock clock, ImageLookupObserver observer) {
        return new ImageResolver(new RegistryClient(RegistryClient.newHttpClient(config), config), config, clock, observer);
    }

    /** The platforms of an image as written in a pod spec; an unparseable reference is a failed lookup. */
    public CompletionStage<ImageLookup> lookup(String image, RegistryCredentials credentials) {
        try {
            return lookup(ImageReference.parse(image), credentials);
        } catch (InvalidImageReferenceException e) {
            observer.lookedUp("", LookupOutcome.ERROR, Duration.ZERO);
            return CompletableFuture.completedFuture(
                    new ImageLookupFailure(String.valueOf(image), FailureReason.INVALID_REFERENCE, e.problem()));
        }
    }

    /** The platforms of an image. */
    public CompletionStage<ImageLookup> lookup(ImageReference ref, RegistryCredentials credentials) {
        long started = System.nanoTime();
        String reference = ref.toString();
        ImagePlatforms cached = cached(ref);
        if (cached != null) {
            observer.lookedUp(ref.registry(), LookupOutcome.HIT, since(started));
            return CompletableFuture.completedFuture(withOverrides(cached.withReference(reference)));
        }
        String key = reference + "|" + credentials.forRegistry(ref.registry()).map(c -> "user:" + c.username()).orElse("anonymous");
        ImageLookupFailure failed = fresh(failures.get(key));
        if (failed != null) {
            observer.lookedUp(ref.registry(), LookupOutcome.HIT, since(started));
            return CompletableFuture.completedFuture(failed);
        }
        CompletableFuture<ImageLookup> promise = new CompletableFuture<>();
        CompletableFuture<ImageLookup> shared = inFlight.putIfAbsent(key, promise);
        if (shared != null) {
            return shared.thenApply(result -> {
                observer.lookedUp(ref.registry(), LookupOutcome.HIT, since(started));
                return result;
            });
        }
        limiter.submit(() -> client.fetch(ref, credentials)).handle((platforms, error) -> {
            ImageLookup result;
            if (error == null) {
                remember(reference, platforms);
                result = withOverrides(platforms);
                observer.lookedUp(ref.registry(), LookupOutcome.RESOLVED, since(started));
            } else {
                ImageLookupFailure failure = RegistryClient.toLookupException(error).toFailure(reference);
                put(failures, key, new Expiring<>(failure, clock.instant().plus(negativeTtl)));
                result = failure;
                observer.lookedUp(ref.registry(), failure.reason().outcome(), since(started));
            }
            inFlight.remove(key, promise);
            promise.complete(result);
            return null;
        });
        return promise;
    }

    /**
     * Remembers that the image with this digest failed with {@code exec format error} on arm64: for as
     * long as answers are kept, lookups that resolve to this digest say amd64 only.
     */
    public void markNotArm64(String digest) {
        put(notArm64, digest, new Expiring<>(Boolean.TRUE, clock.instant().plus(ttl)));
    }

    private ImagePlatforms cached(ImageReference ref) {
        String digest = ref.digest() != null ? ref.digest() : fresh(digestByReference.get(ref.toString()));
        return digest == null ? null : fresh(byDigest.get(digest));
    }

    private void remember(String reference, ImagePlatforms platforms) {
        Instant expires = clock.instant().plus(ttl);
        put(byDigest, platforms.digest(), new Expiring<>(platforms, expires));
        put(digestByReference, reference, new Expiring<>(platforms.digest(), expires));
    }

    private ImagePlatforms withOverrides(ImagePlatforms platforms) {
        return fresh(notArm64.get(platforms.digest())) != null ? platforms.withSchedulableArchs(Set.of(Arch.AMD64)) : platforms;
    }

    private <T> T fresh(Expiring<T> entry) {
        return entry != null && clock.instant().isBefore(entry.expires()) ? entry.value() : null;
    }

    private <T> void put(ConcurrentMap<String, Expiring<T>> map, String key, Expiring<T> value) {
        if (map.size() > PRUNE_ABOVE) {
            Instant now = clock.instant();
            map.values().removeIf(e -> !now.isBefore(e.expires()));
        }
        map.put(key, value);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private record Expiring<T>(T value, Instant expires) {
    }
}
