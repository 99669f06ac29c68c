package io.archscaler.cloud.aws.eks;

import io.archscaler.scaler.model.Arch;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads a managed node group's {@code amiType} ({@code AL2_ARM_64}, {@code AL2023_x86_64_STANDARD},
 * {@code BOTTLEROCKET_ARM_64_NVIDIA}, {@code WINDOWS_CORE_2022_x86_64}, …). {@code CUSTOM} and
 * types this code has not seen name no architecture: the instance type decides.
 */
public final class AmiTypes {
    private AmiTypes() {
    }

    public static Optional<Arch> arch(String amiType) {
        if (amiType == null) {
            return Optional.empty();
        }
        String t = amiType.toUpperCase(Locale.ROOT);
        if (t.contains("_ARM_64")) {
            return Optional.of(Arch.ARM64);
        }
        if (t.contains("_X86_64")) {
            return Optional.of(Arch.AMD64);
        }
        return Optional.empty();
    }

    public static boolean windows(String amiType) {
        return amiType != null && amiType.toUpperCase(Locale.ROOT).startsWith("WINDOWS_");
    }
}
