package io.archscaler.scaler.model;

import java.util.List;

/**
 * A required node affinity term: its expressions (on node labels) and fields (on the node's
 * {@code metadata.name}) are ANDed; terms of a pod are ORed.
 */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions,
                               List<NodeSelectorRequirement> matchFields) {
    public NodeSelectorTerm {
        matchExpressions = Copies.list(matchExpressions);
        matchFields = Copies.list(matchFields);
    }

    /** A term on labels only, the usual kind. */
    public NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions) {
        this(matchExpressions, List.of());
    }
}
