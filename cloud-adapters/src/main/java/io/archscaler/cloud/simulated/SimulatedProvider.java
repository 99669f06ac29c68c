package io.archscaler.cloud.simulated;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A cloud in a box for the sandbox, tests and benchmarks: asking for nodes creates Node objects
 * in the cluster after a registration delay, with the group's labels, taints and allocatable.
 * It can be told to run out of capacity for a group, like EC2's InsufficientInstanceCapacity:
 * refusing the scale-up at once, or, as EKS managed node groups and Auto Scaling groups do,
 * accepting it and reporting the failure later on the placeholders {@link #instances} lists.
 */
public final class SimulatedProvider implements NodeGroupProvider {
    public static final String ID = "simulated";

    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;
    private final Map<String, SimulatedGroup> groups = new LinkedHashMap<>();

    /** {@code registrationDelays}: each group and how long its nodes take to register. */
    public SimulatedProvider(KubernetesClient client, ScheduledExecutorService scheduler,
                             Map<NodeGroup, Duration> registrationDelays) {
        this.client = client;
        this.scheduler = scheduler;
        registrationDelays.forEach((g, delay) -> groups.put(g.name(), new SimulatedGroup(g, delay)));
    }

    @Override
    public String id() {
        return ID;
    }

    /** From now on, scale-ups of the group fail with insufficient capacity (or, false, succeed again in either mode). */
    public synchronized void setCapacityShortage(String nodeGroup, boolean shortage) {
        SimulatedGroup g = group(nodeGroup, "setCapacityShortage");
        g.shortage = shortage;
        if (!shortage) {
            g.lateShortage = null;
        }
    }

    /**
     * From now on, scale-ups of the group are accepted (the target rises, the call succeeds) and
     * {@code reportedAfter} later their placeholders carry an InsufficientInstanceCapacity error in
     * {@link #instances} and never register, the way EKS reports it as a node group health issue
     * and an ASG as a failed scaling activity. {@code setCapacityShortage(group, false)} ends it;
     * placeholders already failed stay so until the target is lowered.
     */
    public synchronized void setLateCapacityShortage(String nodeGroup, Duration reportedAfter) {
        group(nodeGroup, "setLateCapacityShortage").lateShortage = reportedAfter;
    }

    /** How many increaseSize calls the group has received, failed ones included. */
    public synchronized int scaleUpCalls(String nodeGroup) {
        return group(nodeGroup, "scaleUpCalls").scaleUpCalls;
    }

    @Override
    public synchronized CompletionStage<List<NodeGroup>> nodeGroups() {
        List<NodeGroup> out = new ArrayList<>();
        for (SimulatedGroup g : groups.values()) {
            out.add(g.spec.withTargetSize(g.target));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        List<String> names;
        Duration delay;
        boolean late;
        synchronized (this) {
            SimulatedGroup g;
            try {
                g = group(nodeGroup, "increaseSize");
            } catch (NodeGroupNotFoundException e) {
                return CompletableFuture.failedFuture(e);
            }
            g.scaleUpCalls++;
            if (delta <= 0) {
                return CompletableFuture.failedFuture(new CloudApiException(ID, "increaseSize", "InvalidParameterValue",
                        "delta must be positive, got " + delta, false, null));
            }
            if (g.shortage) {
                return CompletableFuture.failedFuture(new InsufficientCapacityException(ID, "increaseSize", nodeGroup,
                        "We currently do not have sufficient " + capacityName(g) + " capacity"));
            }
            if (g.target + delta > g.spec.maxSize()) {
                return CompletableFuture.failedFuture(new CloudApiException(ID, "increaseSize", "InvalidParameterValue",
                        "desired size " + (g.target + delta) + " is above maxSize " + g.spec.maxSize(), false, null));
            }
            g.target += delta;
            late = g.lateShortage != null;
            delay = late ? g.lateShortage : g.registrationDelay;
            names = new ArrayList<>();
            for (int i = 0; i < delta; i++) {
                String name = nodeGroup + "-" + (++g.sequence);
                g.pending.add(name);
                names.add(name);
            }
        }
        for (String name : names) {
            Runnable then = late ? () -> failLaunch(nodeGroup, name) : () -> register(nodeGroup, name);
            scheduler.schedule(then, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        List<String> toDelete = new ArrayList<>();
        synchronized (this) {
            SimulatedGroup g;
            try {
                g = group(nodeGroup, "deleteNodes");
            } catch (NodeGroupNotFoundException e) {
                return CompletableFuture.failedFuture(e);
            }
            for (NodeRef ref : nodes) {
                boolean known = g.registered.contains(ref.name()) || g.pending.contains(ref.name());
                if (!known) {
                    continue;
                }
                if (g.target - 1 < g.spec.minSize()) {
                    return CompletableFuture.failedFuture(new CloudApiException(ID, "deleteNodes",
                            "InvalidParameterValue", "size would go below minSize " + g.spec.minSize(), false, null));
                }
                g.registered.remove(ref.name());
                g.pending.remove(ref.name());
                g.failed.remove(ref.name());
                g.target--;
                toDelete.add(ref.name());
            }
        }
        return CompletableFuture.runAsync(() -> toDelete.forEach(n -> client.nodes().withName(n).delete()), scheduler);
    }

    @Override
    public synchronized CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        SimulatedGroup g = groups.get(nodeGroup);
        if (g == null) {
            return CompletableFuture.failedFuture(new NodeGroupNotFoundException(ID, "decreaseTargetSize", nodeGroup));
        }
        // the placeholders that failed go first, as an ASG's lowered desired capacity stops its failing launches
        int cancelled = 0;
        while (cancelled < delta && !g.pending.isEmpty()) {
            String name = g.failed.isEmpty() ? g.pending.get(g.pending.size() - 1) : g.failed.keySet().iterator().next();
            g.pending.remove(name);
            g.failed.remove(name);
            g.target--;
            cancelled++;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<Instance>> instances(String nodeGroup) {
        SimulatedGroup g = groups.get(nodeGroup);
        if (g == null) {
            return CompletableFuture.failedFuture(new NodeGroupNotFoundException(ID, "instances", nodeGroup));
        }
        List<Instance> out = new ArrayList<>();
        g.registered.forEach(n -> out.add(new Instance(n, SimulatedNodes.providerId(nodeGroup, n), InstanceState.RUNNING)));
        // a placeholder that failed has no machine, hence no provider ID
        g.pending.forEach(n -> out.add(g.failed.containsKey(n) ? new Instance(n, "", InstanceState.CREATING, g.failed.get(n))
                : new Instance(n, SimulatedNodes.providerId(nodeGroup, n), InstanceState.CREATING)));
        out.sort(Comparator.comparing(Instance::id));
        return CompletableFuture.completedFuture(out);
    }

    private void register(String nodeGroup, String name) {
        NodeGroup spec;
        synchronized (this) {
            SimulatedGroup g = groups.get(nodeGroup);
            if (g == null || !g.pending.remove(name)) {
                return; // cancelled by decreaseTargetSize
            }
            g.registered.add(name);
            spec = g.spec;
        }
        client.nodes().resource(SimulatedNodes.node(spec, name)).create();
    }

    /** The launch of a placeholder failed for capacity: it stays listed with the error and never registers. */
    private synchronized void failLaunch(String nodeGroup, String name) {
        SimulatedGroup g = groups.get(nodeGroup);
        if (g != null && g.pending.contains(name)) {
            g.failed.put(name, new InstanceError(InstanceError.Kind.CAPACITY, "InsufficientInstanceCapacity",
                    "We currently do not have sufficient " + capacityName(g) + " capacity in the Availability "
                            + "Zone you requested"));
        }
    }

    /** What EC2's message names: the instance type, or the group when it gives its capacity instead of a type. */
    private static String capacityName(SimulatedGroup g) {
        String type = g.spec.instanceType();
        return type == null || type.isEmpty() ? g.spec.name() : type;
    }

    private SimulatedGroup group(String name, String operation) {
        SimulatedGroup g = groups.get(name);
        if (g == null) {
            throw new NodeGroupNotFoundException(ID, operation, name);
        }
        return g;
    }

    private static final class SimulatedGroup {
        final NodeGroup spec;
        final Duration registrationDelay;
        final List<String> pending = new ArrayList<>();
        final List<String> registered = new ArrayList<>();
        /** Placeholders whose launch failed, in the order they failed. */
        final Map<String, InstanceError> failed = new LinkedHashMap<>();
        int target;
        int sequence;
        int scaleUpCalls;
        boolean shortage;
        /** Accept scale-ups and fail their launches this long after; null when launches succeed. */
        Duration lateShortage;

        SimulatedGroup(NodeGroup spec, Duration registrationDelay) {
            this.spec = spec;
            this.registrationDelay = registrationDelay;
            this.target = spec.targetSize();
        }
    }
}
