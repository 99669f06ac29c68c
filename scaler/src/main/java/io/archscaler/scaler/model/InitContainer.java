package io.archscaler.scaler.model;

/**
 * An init container's requests; {@code sidecar} is true for a restartable init container
 * ({@code restartPolicy: Always}), which keeps running beside the app containers.
 */
public record InitContainer(Resources requests, boolean sidecar) {
}
