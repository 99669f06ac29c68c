package io.archscaler.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * One scale action and how it went, as shown in {@code /status}, written to the decisions
 * topic and told in the demo's progress. Made with {@link #of} and the {@code with…} steps rather
 * than the long canonical constructor.
 *
 * @param why why it was done, null when the plan needs no explaining
 */
public record Decision(Instant time, Action action, String nodeGroup, String arch, int from, int to,
                       List<String> pods, String node, Why why, Outcome outcome, String error) {
    public static final Action SCALE_UP = Action.SCALE_UP;
    public static final Action SCALE_DOWN = Action.SCALE_DOWN;
    public static final Outcome REQUESTED = Outcome.REQUESTED;
    public static final Outcome FAILED = Outcome.FAILED;
    public static final Outcome SUCCEEDED = Outcome.SUCCEEDED;

    /** What was done to a node group. */
    public enum Action {
        SCALE_UP("scale-up"),
        SCALE_DOWN("scale-down");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        /** As written in the decision's JSON. */
        public String label() {
            return label;
        }
    }

    /** How it went. */
    public enum Outcome {
        /** The cloud accepted it; the nodes are on their way. */
        REQUESTED("requested"),
        FAILED("failed"),
        SUCCEEDED("succeeded");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** As written in the decision's JSON. */
        public String label() {
            return label;
        }
    }

    /**
     * Why a decision was made: a kind to act on, and words for people.
     *
     * @param detail the sentence after the kind's prefix
     */
    public record Why(Kind kind, String detail) {
        /** What sort of reason; its prefix starts the reason text. */
        public enum Kind {
            /** Any other reason: the text is the detail alone. */
            PLAIN(""),
            /** The pods' preferred arm64 groups could not take them: a more expensive group did. */
            FALLBACK("fallback: "),
            /** Capacity asked for before an HPA scales up, for the replicas it is predicted to add. */
            AHEAD_OF_HPA("ahead of HPA: "),
            /**
             * Part of a move back to arm64 after a fallback: the arm64 capacity asked for, or the
             * amd64 node removed (or the move undone).
             */
            RESTORE("restore: "),
            /** Part of a replacement of an amd64 node by cheaper arm64 capacity ({@code consolidate}). */
            REPLACE("replace: ");

            private final String prefix;

            Kind(String prefix) {
                this.prefix = prefix;
            }
        }

        public static Why of(String detail) {
            return new Why(Kind.PLAIN, detail);
        }

        public static Why fallback(String detail) {
            return new Why(Kind.FALLBACK, detail);
        }

        public static Why aheadOfHpa(String detail) {
            return new Why(Kind.AHEAD_OF_HPA, detail);
        }

        public static Why restore(String detail) {
            return new Why(Kind.RESTORE, detail);
        }

        public static Why replace(String detail) {
            return new Why(Kind.REPLACE, detail);
        }

        /** The reason as people read it and as the JSON carries it. */
        public String text() {
            return kind.prefix + detail;
        }
    }

    public Decision {
        pods = pods == null ? List.of() : List.copyOf(pods);
    }

    /** A requested action on a group, with no sizes, pods, node, reason or error yet. */
    public static Decision of(Action action, Instant time, String nodeGroup, String arch) {
        return new Decision(time, action, nodeGroup, arch, 0, 0, List.of(), null, null, Outcome.REQUESTED, null);
    }

    public Decision withSizes(int newFrom, int newTo) {
        return new Decision(time, action, nodeGroup, arch, newFrom, newTo, pods, node, why, outcome, error);
    }

    public Decision withPods(List<String> newPods) {
        return new Decision(time, action, nodeGroup, arch, from, to, newPods, node, why, outcome, error);
    }

    public Decision withNode(String newNode) {
        return new Decision(time, action, nodeGroup, arch, from, to, pods, newNode, why, outcome, error);
    }

    public Decision withWhy(Why newWhy) {
        return new Decision(time, action, nodeGroup, arch, from, to, pods, node, newWhy, outcome, error);
    }

    /** The same decision, carried out. */
    public Decision succeeded() {
        return new Decision(time, action, nodeGroup, arch, from, to, pods, node, why, Outcome.SUCCEEDED, null);
    }

    /** The same decision, failed with {@code newError}. */
    public Decision failed(String newError) {
        return new Decision(time, action, nodeGroup, arch, from, to, pods, node, why, Outcome.FAILED, newError);
    }

    /** The reason as text, null when there is none: what the JSON's {@code reason} carries. */
    public String reason() {
        return why == null ? null : why.text();
    }

    /** A scale-up onto a group the pods did not prefer, because their arm64 groups could not take them. */
    public boolean isFallback() {
        return why != null && why.kind() == Why.Kind.FALLBACK;
    }

    /** Capacity asked for ahead of an HPA's scale-up. */
    public boolean isAheadOfHpa() {
        return why != null && why.kind() == Why.Kind.AHEAD_OF_HPA;
    }

    /** Part of a move toward arm64: a restore after a fallback, or a replacement. */
    public boolean isMoveToArm64() {
        return why != null && (why.kind() == Why.Kind.RESTORE || why.kind() == Why.Kind.REPLACE);
    }

    /**
     * The decision as written to the decisions topic and shown in {@code /status}: every field in a
     * fixed order, null where it does not apply (a scale-down has no sizes, a scale-up no node).
     */
    public JsonObject toJson(String cluster) {
        boolean up = action == Action.SCALE_UP;
        return new JsonObject()
                .put("cluster", cluster)
                .put("time", time.toString())
                .put("action", action.label())
                .put("nodeGroup", nodeGroup)
                .put("arch", arch)
                .put("from", up ? from : null)
                .put("to", up ? to : null)
                .put("pods", up ? new JsonArray(pods) : null)
                .put("node", node)
                .put("reason", reason())
                .put("outcome", outcome.label())
                .put("error", error);
    }

    /** One line for logs and the demo's progress. */
    public String describe() {
        String what = action.label() + " " + nodeGroup + (node == null ? "" : " " + node) + " " + from + "->" + to;
        String forWhat = pods.isEmpty() ? "" : " for " + pods.size() + " pod" + (pods.size() == 1 ? "" : "s");
        String because = reason() == null ? "" : " (" + reason() + ")";
        String how = outcome == Outcome.FAILED ? ": FAILED " + error : "";
        return what + forWhat + because + how;
    }
}
