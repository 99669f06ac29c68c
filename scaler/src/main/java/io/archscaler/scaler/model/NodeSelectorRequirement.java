package io.archscaler.scaler.model;

import java.util.List;

/**
 * One expression of a required node affinity term: {@code key operator values}, with operator one
 * of {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, {@code Gt}, {@code Lt}.
 */
public record NodeSelectorRequirement(String key, String operator, List<String> values) {
    public NodeSelectorRequirement {
        values = Copies.list(values);
    }
}
