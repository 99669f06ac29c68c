package io.archscaler.images;

/** An image reference that a container runtime would refuse to pull, with what is wrong with it. */
public final class InvalidImageReferenceException extends Exception {
    private final String reference;
    private final String problem;

    public InvalidImageReferenceException(String reference, String problem) {
        super("invalid image reference \"" + reference + "\": " + problem);
        this.reference = reference;
        this.problem = problem;
    }

    /** The reference as it was given. */
    public String reference() {
        return reference;
    }

    /** What is wrong with it, e.g. {@code repository name must be lowercase}. */
    public String problem() {
        return problem;
    }
}
