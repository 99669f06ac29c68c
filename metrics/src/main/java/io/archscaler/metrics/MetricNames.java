package io.archscaler.metrics;

/**
 * Every metric Archscaler exports, in one place. Names are as Prometheus sees them (micrometer
 * adds {@code _total} to counters and {@code _seconds} units where noted in {@link ArchscalerMetrics}).
 */
public final class MetricNames {
    public static final String PREFIX = "archscaler_";

    public static final String PENDING_PODS = "archscaler_pending_pods";
    public static final String UNSCHEDULABLE_PODS = "archscaler_unschedulable_pods";
    public static final String NODE_GROUP_MIN_SIZE = "archscaler_node_group_min_size";
    public static final String NODE_GROUP_MAX_SIZE = "archscaler_node_group_max_size";
    public static final String NODE_GROUP_TARGET_SIZE = "archscaler_node_group_target_size";
    public static final String NODE_GROUP_READY_NODES = "archscaler_node_group_ready_nodes";
    public static final String IN_FLIGHT_NODES = "archscaler_in_flight_nodes";
    public static final String NODE_GROUP_BACKOFF = "archscaler_node_group_backoff";
    public static final String NODE_GROUP_CIRCUIT_OPEN = "archscaler_node_group_circuit_open";
    public static final String SCALE_UPS = "archscaler_scale_ups";
    public static final String SCALED_UP_NODES = "archscaler_scaled_up_nodes";
    public static final String FAILED_SCALE_UPS = "archscaler_failed_scale_ups";
    public static final String LAST_FAILED_SCALE_UP = "archscaler_last_failed_scale_up_timestamp_seconds";
    public static final String FALLBACKS = "archscaler_fallbacks";
    public static final String SCALE_DOWNS = "archscaler_scale_downs";
    public static final String UNNEEDED_NODES = "archscaler_unneeded_nodes";
    public static final String UNREMOVABLE_NODES = "archscaler_unremovable_nodes";
    public static final String DRAIN_DURATION = "archscaler_drain_duration";
    public static final String RESTORES = "archscaler_restores";
    public static final String RESTORE_SAVING_PER_HOUR = "archscaler_restore_saving_per_hour";
    public static final String INTERRUPTIONS = "archscaler_interruptions";
    public static final String INTERRUPTION_HANDLING_DURATION = "archscaler_interruption_handling_duration";
    public static final String PLANNER_DURATION = "archscaler_planner_duration";
    public static final String BATCH_SIZE = "archscaler_batch_size";
    public static final String PENDING_TO_SCALE_UP = "archscaler_pending_to_scale_up";
    public static final String CLOUD_API_CALLS = "archscaler_cloud_api_calls";
    public static final String CLOUD_API_CALL_DURATION = "archscaler_cloud_api_call_duration";
    public static final String IMAGE_LOOKUPS = "archscaler_image_lookups";
    public static final String IMAGE_LOOKUP_DURATION = "archscaler_image_lookup_duration";
    public static final String MISPLACED_PODS = "archscaler_misplaced_pods";
    public static final String WEBHOOK_REVIEWS = "archscaler_webhook_reviews";
    public static final String WEBHOOK_REVIEW_DURATION = "archscaler_webhook_review_duration";
    public static final String WEBHOOK_SPOT_RATIO = "archscaler_webhook_spot_ratio";
    public static final String EXPANDER_CALLS = "archscaler_expander_calls";
    public static final String EXPANDER_CALL_DURATION = "archscaler_expander_call_duration";
    public static final String EXPANDER_OPTIONS_IN = "archscaler_expander_options_in";
    public static final String EXPANDER_OPTIONS_OUT = "archscaler_expander_options_out";
    public static final String EXPANDER_DROPPED_OPTIONS = "archscaler_expander_dropped_options";
    public static final String COST_PER_HOUR = "archscaler_cost_per_hour";
    public static final String ALL_AMD64_COST_PER_HOUR = "archscaler_all_amd64_cost_per_hour";
    public static final String SAVINGS_PER_HOUR = "archscaler_savings_per_hour";
    public static final String NODES = "archscaler_nodes";
    public static final String KAFKA_EVENTS_CONSUMED = "archscaler_kafka_events_consumed";
    public static final String KAFKA_EVENTS_DEAD_LETTERED = "archscaler_kafka_events_dead_lettered";
    public static final String KAFKA_EVENT_HANDLING_DURATION = "archscaler_kafka_event_handling_duration";
    public static final String KUBE_EVENTS = "archscaler_kube_events";
    public static final String EVENTS_RECEIVED = "archscaler_events_received";
    public static final String EVENTS_IGNORED = "archscaler_events_ignored";
    public static final String LEADER = "archscaler_leader";
    public static final String HPA_PREDICTED_REPLICAS = "archscaler_hpa_predicted_replicas";
    public static final String HEADROOM_NODES = "archscaler_headroom_nodes";
    public static final String HPA_PREDICTION_ERROR = "archscaler_hpa_prediction_error";
    public static final String OFFERINGS_UNAVAILABLE = "archscaler_offerings_unavailable";
    public static final String SPOT_NODE_RATIO = "archscaler_spot_node_ratio";

    public static final String FLEET_OWNED_CLUSTERS = "archscaler_fleet_owned_clusters";
    public static final String FLEET_REBALANCES = "archscaler_fleet_rebalances";
    public static final String FLEET_FENCED_SCALE_UPS = "archscaler_fleet_fenced_scaleups";
    public static final String TAG_CLUSTER = "cluster";
    public static final String TAG_NODE_GROUP = "node_group";
    public static final String TAG_ARCH = "arch";
    public static final String TAG_CAPACITY_TYPE = "capacity_type";
    public static final String TAG_REASON = "reason";
    public static final String TAG_CONSTRAINT = "constraint";
    public static final String TAG_PROVIDER = "provider";
    public static final String TAG_OPERATION = "operation";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_KIND = "kind";

    private MetricNames() {
    }
}
