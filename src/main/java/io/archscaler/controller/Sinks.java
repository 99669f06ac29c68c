package io.archscaler.controller;

import java.util.List;

/** Where the scaling loop's decisions and plans go besides the log, metrics and Kubernetes Events. */
record Sinks(List<DecisionSink> decisions, List<PlanSink> plans) {
    Sinks {
        decisions = List.copyOf(decisions);
        plans = List.copyOf(plans);
    }
}
