package io.archscaler.readiness;

import io.archscaler.images.ImageLookup;
import io.archscaler.images.ImageLookupFailure;
import io.archscaler.images.ImageLookupObserver;
import io.archscaler.images.ImagePlatforms;
import io.archscaler.images.ImageResolver;
import io.archscaler.images.Platform;
import io.archscaler.images.RegistryConfig;
import io.archscaler.images.RegistryCredentials;
import io.archscaler.scaler.readiness.ImageSupport;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * What the registries say about a snapshot's images: each distinct image looked up once, all at once
 * (as many at a time as {@code registries.maxConcurrent} allows). A snapshot carries no pull
 * secrets, so private images come back unknown (unauthorized).
 */
final class ReadinessImages {
    static final String NOT_LOOKED_UP = "not looked up: --no-resolve";

    private ReadinessImages() {
    }

    /** Every image unknown, for {@code --no-resolve}: the report then rests on the pod specs' constraints alone. */
    static Map<String, ImageSupport> notLookedUp(Collection<String> images) {
        Map<String, ImageSupport> out = new LinkedHashMap<>();
        new TreeSet<>(images).forEach(i -> out.put(i, ImageSupport.unknown(i, NOT_LOOKED_UP)));
        return out;
    }

    static Map<String, ImageSupport> lookUp(Collection<String> images, RegistryConfig registries) {
        ImageResolver resolver = ImageResolver.create(registries, Clock.systemUTC(), ImageLookupObserver.NOOP);
        Map<String, CompletableFuture<ImageLookup>> pending = new LinkedHashMap<>();
        new TreeSet<>(images).forEach(i -> pending.put(i, resolver.lookup(i, RegistryCredentials.NONE).toCompletableFuture()));
        Map<String, ImageSupport> out = new LinkedHashMap<>();
        pending.forEach((image, lookup) -> out.put(image, support(image, lookup.join())));
        return out;
    }

    static ImageSupport support(String image, ImageLookup lookup) {
        if (lookup instanceof ImagePlatforms p) {
            return ImageSupport.known(image, p.platforms().stream().map(Platform::toString).toList(), p.schedulableArchs());
        }
        return ImageSupport.unknown(image, ((ImageLookupFailure) lookup).message());
    }
}
