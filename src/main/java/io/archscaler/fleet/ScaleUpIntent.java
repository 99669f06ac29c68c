package io.archscaler.fleet;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A scale-up a replica is about to ask the cloud for, written to the compacted scale-ups topic
 * (key {@code cluster/group}) in the same Kafka transaction as its consumer offsets, stamped with
 * its consumer-group generation: the broker refuses the transaction of a replica whose generation
 * is stale, so a replica that lost the cluster never gets to call.
 */
public record ScaleUpIntent(String cluster, String nodeGroup, int delta, int targetSize, String replica,
                           int generation, Instant at) {

    /** The record key: the latest intent per group survives compaction. */
    public String key() {
        return cluster + "/" + nodeGroup;
    }

    public String toJson() {
        return new JsonObject().put("cluster", cluster).put("nodeGroup", nodeGroup).put("delta", delta)
                .put("targetSize", targetSize).put("replica", replica).put("generation", generation)
                .put("at", at.toString()).encode();
    }

    /** Reads a record value written by {@link #toJson}; IllegalArgumentException when it is not one. */
    public static ScaleUpIntent fromJson(String json) {
        try {
            JsonObject o = new JsonObject(json);
            return new ScaleUpIntent(o.getString("cluster"), o.getString("nodeGroup"), o.getInteger("delta"),
                    o.getInteger("targetSize"), o.getString("replica"), o.getInteger("generation"),
                    Instant.parse(o.getString("at")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a scale-up intent: " + e.getMessage(), e);
        }
    }
}
