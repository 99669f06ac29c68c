package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.ProviderException;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Carries out a plan's scale-ups through each group's provider and reports every outcome; the
 * decision of what to do with a failure (backoff, replanning) belongs to the caller.
 */
final class Actuator {
    /** Where outcomes go; called on the actuator's context. */
    interface Outcomes {
        void scaledUp(ScaleUp up);

        void scaleUpFailed(ScaleUp up, ProviderException error);
    }

    private final NodeGroups groups;
    private final Context context;

    Actuator(NodeGroups groups, Context context) {
        this.groups = groups;
        this.context = context;
    }

    /** Starts every scale-up of the plan at once; completes when all have answered. */
    Future<Void> apply(ScalePlan plan, Outcomes outcomes) {
        List<Future<Void>> calls = new ArrayList<>();
        for (ScaleUp up : plan.scaleUps()) {
            NodeGroupProvider provider = groups.provider(up.nodeGroup());
            Future<Void> call = Future.fromCompletionStage(provider.increaseSize(up.nodeGroup(), up.delta()), context);
            calls.add(call.transform(ar -> {
                if (ar.succeeded()) {
                    outcomes.scaledUp(up);
                } else {
                    outcomes.scaleUpFailed(up, asProviderException(provider.id(), ar.cause()));
                }
                return Future.<Void>succeededFuture();
            }));
        }
        return Future.join(calls).mapEmpty();
    }

    static ProviderException asProviderException(String provider, Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ProviderException p) {
            return p;
        }
        return new ProviderException(provider, "increaseSize", String.valueOf(cause.getMessage()), cause);
    }
}
