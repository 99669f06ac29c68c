package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceError.Kind;
import io.archscaler.cloud.InstanceState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Cluster API Machine as an {@link Instance}, read as the Cluster Autoscaler's clusterapi
 * provider reads it: being deleted is {@link InstanceState#DELETING}; with {@code spec.providerID}
 * it is {@link InstanceState#RUNNING}; without, {@link InstanceState#CREATING}. A Machine that
 * will not come carries an error: {@code status.failureReason}/{@code failureMessage} (v1beta1),
 * phase {@code Failed}, a condition False with severity Error, or no provider ID past the group's
 * {@code provisionTimeout} (bare metal with no free host never fails loudly).
 */
final class MachineStates {
    private MachineStates() {
    }

    /** @param provisionTimeout how long a Machine may go without a provider ID, or null for no limit */
    static Instance of(GenericKubernetesResource machine, Duration provisionTimeout, Instant now) {
        String name = machine.getMetadata().getName();
        String providerId = text(machine.get("spec", "providerID"));
        String phase = text(machine.get("status", "phase"));
        if (machine.getMetadata().getDeletionTimestamp() != null || "Deleting".equals(phase)) {
            return new Instance(name, providerId, InstanceState.DELETING);
        }
        Optional<InstanceError> error = reported(machine, phase);
        if (error.isEmpty() && providerId.isEmpty() && provisionTimeout != null) {
            error = timedOut(machine, provisionTimeout, now);
        }
        if (error.isPresent()) {
            return new Instance(name, providerId, InstanceState.CREATING, error.get());
        }
        return new Instance(name, providerId, providerId.isEmpty() ? InstanceState.CREATING : InstanceState.RUNNING);
    }

    /** Whether the Machine stands for a node that runs: it has a provider ID and no failure. */
    /**
     * Which Machine to give up first when the replicas are lowered: one that reported its failure
     * (it will not come), then one past its provision timeout (it might still), then the others.
     */
    static int givenUpOrder(Instance machine) {
        if (!machine.failed()) {
            return 2;
        }
        return machine.error().kind() == Kind.TIMEOUT ? 1 : 0;
    }

    static boolean running(Instance machine) {
        return machine.state() == InstanceState.RUNNING;
    }

    private static Optional<InstanceError> reported(GenericKubernetesResource machine, String phase) {
        String reason = text(machine.get("status", "failureReason"));
        String message = text(machine.get("status", "failureMessage"));
        if (!reason.isEmpty() || !message.isEmpty()) {
            return Optional.of(new InstanceError(kindOf(reason), reason, message));
        }
        if (machine.get("status", "conditions") instanceof List<?> conditions) {
            for (Object o : conditions) {
                if (o instanceof Map<?, ?> c && "False".equals(c.get("status")) && "Error".equals(c.get("severity"))) {
                    return Optional.of(new InstanceError(Kind.OTHER, text(c.get("reason")),
                            c.get("type") + ": " + text(c.get("message"))));
                }
            }
        }
        if ("Failed".equals(phase)) {
            return Optional.of(new InstanceError(Kind.OTHER, "Failed", "Machine phase Failed"));
        }
        return Optional.empty();
    }

    /** Cluster API's MachineStatusError values that say more than "it failed". */
    private static Kind kindOf(String reason) {
        return switch (reason) {
            case "InsufficientResources" -> Kind.CAPACITY;
            case "InvalidConfiguration", "UnsupportedChange" -> Kind.CONFIGURATION;
            default -> Kind.OTHER;
        };
    }

    private static Optional<InstanceError> timedOut(GenericKubernetesResource machine, Duration timeout, Instant now) {
        String created = machine.getMetadata().getCreationTimestamp();
        if (created == null || created.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant since = Instant.parse(created);
            if (!now.isBefore(since.plus(timeout))) {
                return Optional.of(new InstanceError(Kind.TIMEOUT, "ProvisionTimeout", "Machine "
                        + machine.getMetadata().getName() + " has no spec.providerID " + Duration.between(since, now)
                        .toSeconds() + "s after it was created (provisionTimeout " + timeout + ")"));
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String text(Object o) {
        return o instanceof String s ? s : "";
    }
}
