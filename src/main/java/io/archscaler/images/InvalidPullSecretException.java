package io.archscaler.images;

/** A {@code kubernetes.io/dockerconfigjson} pull secret that cannot be read, with what is wrong with it. */
public final class InvalidPullSecretException extends Exception {
    public InvalidPullSecretException(String problem) {
        super(problem);
    }
}
