package io.archscaler.scaler.model;

import java.util.List;

/** A required node affinity term: its expressions are ANDed; terms of a pod are ORed. */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions) {
    public NodeSelectorTerm {
        matchExpressions = Copies.list(matchExpressions);
    }
}
