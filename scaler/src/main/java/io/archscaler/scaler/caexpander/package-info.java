/**
 * Archscaler's choice among the scale-up options Cluster Autoscaler found feasible (its gRPC
 * expander): options whose pods cannot run on the group's architecture are dropped, the rest are
 * ranked by the planner's own {@link io.archscaler.scaler.Expander#RANKING}, and only the best
 * weight tier is kept, so CA's next expander (least-waste) picks among equals. Pure: no I/O.
 */
package io.archscaler.scaler.caexpander;
