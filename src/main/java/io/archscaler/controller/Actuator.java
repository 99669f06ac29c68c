package io.archscaler.controller;

import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.OutcomeUnknownException;
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
 * decision of what to do with a failure (backoff, replanning) belongs to the caller. A scale-up
 * that timed out with its outcome unknown is settled by reading the group's size back: done if the
 * target grew, asked again (a couple of times) if it did not.
 */
final class Actuator {
    /** Where outcomes go; called on the actuator's context. */
    interface Outcomes {
        void scaledUp(ScaleUp up);

        void scaleUpFailed(ScaleUp up, ProviderException error);
    }

    /** How many times a scale-up whose answer never came and that the cloud did not carry out is asked again. */
    private static final int READ_BACKS = 2;

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
            calls.add(scaleUp(groups.provider(up.nodeGroup()), up, outcomes, READ_BACKS));
        }
        return Future.join(calls).mapEmpty();
    }

    private Future<Void> scaleUp(NodeGroupProvider provider, ScaleUp up, Outcomes outcomes, int readBacksLeft) {
        Future<Void> call = Future.fromCompletionStage(provider.increaseSize(up.nodeGroup(), up.delta()), context);
        return call.transform(ar -> {
            if (ar.succeeded()) {
                outcomes.scaledUp(up);
                return Future.<Void>succeededFuture();
            }
            ProviderException error = asProviderException(provider.id(), ar.cause());
            if (!(error instanceof OutcomeUnknownException) || error.retryable()) {
                outcomes.scaleUpFailed(up, error);
                return Future.<Void>succeededFuture();
            }
            // no answer came: the cloud may have done it, and asking again would ask twice; its size tells
            return carriedOut(provider, up).transform(read -> {
                if (read.succeeded() && read.result()) {
                    outcomes.scaledUp(up);
                } else if (read.succeeded() && readBacksLeft > 0) {
                    return scaleUp(provider, up, outcomes, readBacksLeft - 1);
                } else {
                    outcomes.scaleUpFailed(up, error);
                }
                return Future.<Void>succeededFuture();
            });
        });
    }

    /** Whether the group's target has reached what the scale-up asked for. */
    private Future<Boolean> carriedOut(NodeGroupProvider provider, ScaleUp up) {
        return Future.fromCompletionStage(provider.nodeGroups(), context).map(reported -> reported.stream()
                .anyMatch(g -> g.name().equals(up.nodeGroup()) && g.targetSize() >= up.to()));
    }

    static ProviderException asProviderException(String provider, Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ProviderException p) {
            return p;
        }
        return new ProviderException(provider, "increaseSize", String.valueOf(cause.getMessage()), cause);
    }
}
