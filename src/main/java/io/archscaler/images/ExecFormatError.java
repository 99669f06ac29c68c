package io.archscaler.images;

/**
 * A container that could not start because its binary is built for another architecture.
 *
 * @param container the container's name
 * @param image     the image it ran, as the container status names it
 * @param digest    the digest of the image ({@code sha256:…}) from the status's imageID, or null
 * @param reason    the status reason ({@code StartError}, {@code RunContainerError}, …), or null
 */
public record ExecFormatError(String container, String image, String digest, String reason) {
}
