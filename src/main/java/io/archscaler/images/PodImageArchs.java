package io.archscaler.images;

import io.archscaler.scaler.model.Arch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The architectures a pod's images (containers and init containers) are all published for. */
public final class PodImageArchs {
    private final ImageResolver resolver;
    private final RegistryConfig.OnUnknown onUnknown;

    public PodImageArchs(ImageResolver resolver, RegistryConfig.OnUnknown onUnknown) {
        this.resolver = resolver;
        this.onUnknown = onUnknown;
    }

    /**
     * The intersection of the schedulable architectures of every image of the pod, or null when
     * nothing is known (no image could be looked up and {@code onUnknown} is ASSUME_MULTIARCH):
     * then the pod is planned on its constraints alone. Completes without blocking the caller.
     *
     * @param credentials the pod's {@code imagePullSecrets}, read by the caller
     */
    public CompletionStage<Set<Arch>> archsOf(Pod pod, RegistryCredentials credentials) {
        return lookUp(pod, credentials).thenApply(PodImages::archs);
    }

    /** Every image of the pod looked up, with what they say together. */
    public CompletionStage<PodImages> lookUp(Pod pod, RegistryCredentials credentials) {
        List<CompletableFuture<ImageLookup>> lookups = new ArrayList<>();
        for (String image : images(pod)) {
            lookups.add(resolver.lookup(image, credentials).toCompletableFuture());
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(v -> PodImages.of(lookups.stream().map(CompletableFuture::join).toList(), onUnknown));
    }

    /** The distinct images of a pod's init containers and containers, in order. */
    public static List<String> images(Pod pod) {
        return images(pod.getSpec());
    }

    /** The distinct images of a pod spec's init containers and containers, in order; none for a null spec. */
    public static List<String> images(PodSpec spec) {
        Set<String> images = new LinkedHashSet<>();
        if (spec != null) {
            addImages(spec.getInitContainers(), images);
            addImages(spec.getContainers(), images);
        }
        return List.copyOf(images);
    }

    private static void addImages(List<Container> containers, Set<String> images) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            if (c.getImage() != null && !c.getImage().isBlank()) {
                images.add(c.getImage());
            }
        }
    }
}
