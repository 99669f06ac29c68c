package io.archscaler.images;

/** A request body that is not an AdmissionReview with a request uid: the HTTP layer answers 400. */
public final class InvalidAdmissionReviewException extends Exception {
    public InvalidAdmissionReviewException(String problem) {
        super(problem);
    }
}
