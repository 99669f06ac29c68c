package io.archscaler.images;

import java.util.Locale;

/** How an image lookup ended, in the words metrics label it with. */
public enum LookupOutcome {
    HIT, RESOLVED, NOT_FOUND, UNAUTHORIZED, TIMEOUT, ERROR;

    /** {@code hit}, {@code resolved}, {@code not_found}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
