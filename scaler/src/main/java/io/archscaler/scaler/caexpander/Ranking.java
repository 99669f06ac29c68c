package io.archscaler.scaler.caexpander;

import java.util.List;

/**
 * The answer to Cluster Autoscaler: the options it should choose from, best first, and what was left out.
 *
 * @param chosen   never empty when the input was not: CA reads an empty answer as "no filtering"
 *                 (or, in some versions, as nothing), so Archscaler never sends one
 * @param dropped  every option not chosen, with its reason
 * @param fellBack true when every option would have been dropped and the input was returned as it came
 */
public record Ranking(List<ScaleUpOption> chosen, List<Drop> dropped, boolean fellBack) {
    public Ranking {
        chosen = List.copyOf(chosen);
        dropped = List.copyOf(dropped);
    }
}
