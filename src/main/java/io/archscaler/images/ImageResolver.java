package io.archscaler.images;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.archscaler.scaler.model.Arch;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Looks images' platforms up, remembering the answers.
 *
 * <p>Answers are kept by reference and by digest for {@code ttl}, failures for {@code negativeTtl}
 * (per reference and credential, so a pod with a pull secret is not refused for one without).
 * At most {@code maxConcurrent} lookups run at once; lookups of a reference already being looked up
 * share that lookup. Every cache is bounded ({@link #MAX_ENTRIES}) and ages by the injected clock.
 * The returned stages never fail: a failure is an {@link ImageLookupFailure}.
 * The observer hears {@code hit} for every answer that cost no request of its own (from a cache,
 * or shared with a lookup already under way).
 */
public final class ImageResolver {
    /** How many references, digests and failures each cache keeps at most. */
    static final int MAX_ENTRIES = 10_000;

    private final RegistryClient client;
    private final Clock clock;
    private final ImageLookupObserver observer;
    private final AsyncLimiter limiter;
    private final Cache<String, String> digestByReference;
    private final Cache<String, ImagePlatforms> byDigest;
    private final Cache<String, Boolean> notArm64;
    /**
     * Lookups by reference and credential: one entry while the request runs (so lookups under
     * way share it), then a failure stays for {@code negativeTtl} and a success leaves at once,
     * remembered by the two caches above instead.
     */
    private final AsyncCache<String, ImageLookup> lookups;

    public ImageResolver(RegistryClient client, RegistryConfig config, Clock clock, ImageLookupObserver observer) {
        this.client = client;
        this.clock = clock;
        this.observer = observer;
        this.limiter = new AsyncLimiter(config.maxConcurrent());
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.digestByReference = bounded(ticker).expireAfterWrite(config.ttl()).build();
        this.byDigest = bounded(ticker).expireAfterWrite(config.ttl()).build();
        this.notArm64 = bounded(ticker).expireAfterWrite(config.ttl()).build();
        Duration negativeTtl = config.negativeTtl();
        this.lookups = bounded(ticker).expireAfter(Expiry.<String, ImageLookup>creating(
                (key, result) -> result instanceof ImageLookupFailure ? negativeTtl : Duration.ZERO)).buildAsync();
    }

    private static Caffeine<Object, Object> bounded(Ticker ticker) {
        // answers handed on the caller's thread: no pool of Caffeine's own
        return Caffeine.newBuilder().maximumSize(MAX_ENTRIES).ticker(ticker).executor(Runnable::run);
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
        boolean[] asked = {false};
        CompletableFuture<ImageLookup> result = lookups.get(key, (k, executor) -> {
            asked[0] = true;
            return limiter.submit(() -> client.fetch(ref, credentials)).handle((platforms, error) -> {
                if (error == null) {
                    remember(reference, platforms);
                    observer.lookedUp(ref.registry(), LookupOutcome.RESOLVED, since(started));
                    return platforms;
                }
                ImageLookupFailure failure = RegistryClient.toLookupException(error).toFailure(reference);
                observer.lookedUp(ref.registry(), failure.reason().outcome(), since(started));
                return failure;
            }).toCompletableFuture();
        });
        if (asked[0]) {
            return result.thenApply(r -> r instanceof ImagePlatforms p ? withOverrides(p) : r);
        }
        return result.thenApply(r -> {
            observer.lookedUp(ref.registry(), LookupOutcome.HIT, since(started));
            return r instanceof ImagePlatforms p ? withOverrides(p) : r;
        });
    }

    /**
     * Remembers that the image with this digest failed with {@code exec format error} on arm64: for as
     * long as answers are kept, lookups that resolve to this digest say amd64 only.
     */
    public void markNotArm64(String digest) {
        notArm64.put(digest, Boolean.TRUE);
    }

    private ImagePlatforms cached(ImageReference ref) {
        String digest = ref.digest() != null ? ref.digest() : digestByReference.getIfPresent(ref.toString());
        return digest == null ? null : byDigest.getIfPresent(digest);
    }

    private void remember(String reference, ImagePlatforms platforms) {
        byDigest.put(platforms.digest(), platforms);
        digestByReference.put(reference, platforms.digest());
    }

    private ImagePlatforms withOverrides(ImagePlatforms platforms) {
        return notArm64.getIfPresent(platforms.digest()) != null
                ? platforms.withSchedulableArchs(Set.of(Arch.AMD64)) : platforms;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
