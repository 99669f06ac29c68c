package io.archscaler.scaler.readiness;

import java.util.List;

/**
 * What some pods cost per month on some node groups.
 *
 * @param groups the groups that priced them, in the order first used
 */
public record Price(List<String> groups, double perMonth) {
    public static final Price NONE = new Price(List.of(), 0);

    public Price {
        groups = List.copyOf(groups);
    }
}
