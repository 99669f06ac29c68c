package io.archscaler.kube;

/** A Kubernetes object that cannot be read, with a message naming the object and the field. */
public final class KubeTranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KubeTranslationException(String message) {
        super(message);
    }

    public KubeTranslationException(String message, Throwable cause) {
        super(message, cause);
    }
}
