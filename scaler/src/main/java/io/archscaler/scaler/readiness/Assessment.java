package io.archscaler.scaler.readiness;

import io.archscaler.scaler.ArchResolver;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workload's verdict and the reasons for it, each naming what blocks it or what is not known:
 * {@code acme/legacy:1.2 has no linux/arm64 (published for linux/amd64)}, {@code nodeSelector
 * kubernetes.io/arch=amd64 pins it to amd64}, {@code acme/tool:3: platforms unknown (not found)}.
 *
 * @param blockingImages the images with no arm64 build
 */
public record Assessment(Verdict verdict, List<String> reasons, List<ImageSupport> blockingImages) {
    public Assessment {
        reasons = List.copyOf(reasons);
        blockingImages = List.copyOf(blockingImages);
    }

    /** Blocked by a pin or an image; else unknown when an image is not known; else ready. */
    public static Assessment of(Workload workload) {
        List<String> blocked = new ArrayList<>(pins(workload.template()));
        List<ImageSupport> blockingImages = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (ImageSupport image : workload.images()) {
            if (image.lacks(Arch.ARM64)) {
                blockingImages.add(image);
                blocked.add(image.image() + " has no linux/arm64 (published for "
                        + (image.platforms().isEmpty() ? "no platform" : String.join(", ", image.platforms())) + ")");
            } else if (!image.isKnown()) {
                unknown.add(image.image() + ": platforms unknown (" + image.unknown() + ")");
            }
        }
        if (!blocked.isEmpty()) {
            return new Assessment(Verdict.BLOCKED, blocked, blockingImages);
        }
        return new Assessment(unknown.isEmpty() ? Verdict.READY : Verdict.UNKNOWN, unknown, List.of());
    }

    /** What in the pod spec keeps it off arm64: a nodeSelector or a required node affinity on the arch label. */
    static List<String> pins(PendingPod template) {
        List<String> pins = new ArrayList<>();
        Set<Arch> bySelector = ArchResolver.allowed(template.nodeSelector(), List.of(), null);
        if (!bySelector.contains(Arch.ARM64)) {
            pins.add("nodeSelector " + archSelector(template.nodeSelector()) + " pins it to " + words(bySelector));
        }
        Set<Arch> byAffinity = ArchResolver.allowed(Map.of(), template.requiredAffinity(), null);
        if (!byAffinity.contains(Arch.ARM64)) {
            pins.add("required node affinity " + ArchResolver.describe(template.requiredAffinity())
                    + " pins it to " + words(byAffinity));
        }
        return pins;
    }

    private static String archSelector(Map<String, String> nodeSelector) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of(NodeTemplate.ARCH_LABEL, NodeTemplate.BETA_ARCH_LABEL)) {
            if (nodeSelector.containsKey(key)) {
                parts.add(key + "=" + nodeSelector.get(key));
            }
        }
        return String.join(", ", parts);
    }

    private static String words(Set<Arch> archs) {
        return archs.isEmpty() ? "no architecture" : archs.stream().sorted().map(Arch::label)
                .reduce((a, b) -> a + ", " + b).orElseThrow();
    }
}
