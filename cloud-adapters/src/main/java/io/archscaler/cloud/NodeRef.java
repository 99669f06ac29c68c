package io.archscaler.cloud;

/** A Kubernetes node as a provider identifies it: its name and {@code spec.providerID}. */
public record NodeRef(String name, String providerId) {
}
