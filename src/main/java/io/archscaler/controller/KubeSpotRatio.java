package io.archscaler.controller;

import io.archscaler.images.SpotAffinity;
import io.archscaler.images.SpotPlacement;
import io.archscaler.scaler.SpotRatio;
import io.archscaler.scaler.model.CapacityType;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a new pod's Deployment (through its ReplicaSet) or StatefulSet, its pods and the spot nodes
 * with the Kubernetes client, off the event loop, and applies {@link SpotRatio}. Reads use only the
 * {@code list} verb (by name through a field selector) that the controller's role already grants.
 *
 * <p>Pods the webhook let go to spot are remembered for {@link #DEFAULT_IN_FLIGHT_WINDOW}: the API
 * server stores a pod only after the webhook answered, so pods admitted at the same moment do not
 * see each other in the API. Once stored and still unbound they are counted again from the API;
 * counting them twice errs towards on-demand, never past the ratio.
 */
public final class KubeSpotRatio implements SpotPlacement {
    /** How long a pod let go to spot counts as in flight without being seen in the API. */
    public static final Duration DEFAULT_IN_FLIGHT_WINDOW = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(KubeSpotRatio.class);

    private final KubernetesClient client;
    private final Executor executor;
    private final Clock clock;
    private final Duration inFlightWindow;
    private final Consumer<String> counted;
    private final Map<String, Deque<Instant>> admittedToSpot = new HashMap<>();
    private final Map<String, String> warnedValues = new ConcurrentHashMap<>();

    /**
     * @param counted told each verdict: {@code allowed}, {@code kept_off} or {@code invalid} (a bad annotation)
     */
    public KubeSpotRatio(KubernetesClient client, Executor executor, Clock clock, Duration inFlightWindow,
                         Consumer<String> counted) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inFlightWindow = inFlightWindow == null ? DEFAULT_IN_FLIGHT_WINDOW : inFlightWindow;
        this.counted = counted == null ? outcome -> { } : counted;
    }

    @Override
    public CompletionStage<Optional<String>> keepOffSpot(String namespace, Pod pod) {
        Optional<OwnerReference> owner = controller(pod);
        if (owner.isEmpty() || !Set.of("ReplicaSet", "StatefulSet").contains(owner.get().getKind())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> decide(namespace, owner.get()), executor);
    }

    private Optional<String> decide(String namespace, OwnerReference owner) {
        try {
            Optional<Workload> workload = workload(namespace, owner);
            return workload.flatMap(this::decide);
        } catch (KubernetesClientException e) {
            LOG.warn("could not read the workload of a pod owned by {} {}/{}: {}", owner.getKind(), namespace,
                    owner.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<String> decide(Workload w) {
        String value = w.object().getMetadata().getAnnotations() == null ? null
                : w.object().getMetadata().getAnnotations().get(SpotRatio.ANNOTATION);
        if (value == null) {
            return Optional.empty();
        }
        SpotRatio ratio;
        try {
            ratio = SpotRatio.parse(value);
        } catch (IllegalArgumentException e) {
            invalid(w, value, e.getMessage());
            return Optional.empty();
        }
        List<Pod> pods = client.pods().inNamespace(w.namespace()).withLabelSelector(w.selector()).list().getItems()
                .stream().filter(KubeSpotRatio::live).toList();
        Set<String> spotNodes = pods.stream().anyMatch(p -> p.getSpec().getNodeName() != null) ? spotNodes() : Set.of();
        int onSpot = (int) pods.stream().filter(p -> spotNodes.contains(p.getSpec().getNodeName())).count();
        int unbound = (int) pods.stream()
                .filter(p -> p.getSpec().getNodeName() == null && !SpotAffinity.excludesSpot(p)).count();
        String key = w.object().getKind() + "/" + w.namespace() + "/" + w.object().getMetadata().getName();
        synchronized (admittedToSpot) {
            Deque<Instant> recent = admittedToSpot.computeIfAbsent(key, k -> new ArrayDeque<>());
            Instant now = clock.instant();
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(inFlightWindow))) {
                recent.pollFirst();
            }
            int inFlight = unbound + recent.size();
            if (ratio.allowsSpot(w.replicas(), onSpot, inFlight)) {
                recent.addLast(now);
                counted.accept("allowed");
                return Optional.empty();
            }
            if (recent.isEmpty()) {
                admittedToSpot.remove(key);
            }
            counted.accept("kept_off");
            return Optional.of(String.format("%s %s allows %d of %d replicas on spot (%s); %d on spot, %d in flight",
                    w.object().getKind(), w.object().getMetadata().getName(), ratio.maxOnSpot(w.replicas()),
                    w.replicas(), ratio.max().toPlainString(), onSpot, inFlight));
        }
    }

    private Optional<Workload> workload(String namespace, OwnerReference owner) {
        if ("StatefulSet".equals(owner.getKind())) {
            return byName(client.apps().statefulSets(), namespace, owner.getName()).map(s -> new Workload(s, namespace,
                    s.getSpec().getSelector(), replicas(s.getSpec().getReplicas())));
        }
        return byName(client.apps().replicaSets(), namespace, owner.getName())
                .flatMap(KubeSpotRatio::controller)
                .filter(o -> "Deployment".equals(o.getKind()))
                .flatMap(o -> byName(client.apps().deployments(), namespace, o.getName()))
                .map(d -> new Workload(d, namespace, d.getSpec().getSelector(), replicas(d.getSpec().getReplicas())));
    }

    /** By name with {@code list}: the role grants list and watch on workloads, not get. */
    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> Optional<T> byName(
            MixedOperation<T, L, ? extends Resource<T>> op, String namespace, String name) {
        return op.inNamespace(namespace).withField("metadata.name", name).list().getItems().stream()
                .filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    private Set<String> spotNodes() {
        return Stream.concat(
                        client.nodes().withLabel(CapacityType.LABEL, CapacityType.SPOT.label()).list().getItems().stream(),
                        client.nodes().withLabel(CapacityType.EKS_LABEL, CapacityType.SPOT.eksLabel()).list().getItems().stream())
                .map(Node::getMetadata).map(m -> m.getName()).collect(Collectors.toSet());
    }

    private void invalid(Workload w, String value, String message) {
        counted.accept("invalid");
        String key = w.object().getKind() + "/" + w.namespace() + "/" + w.object().getMetadata().getName();
        if (value.equals(warnedValues.put(key, value))) {
            return;
        }
        LOG.warn("{} {}/{}: {}; ignored", w.object().getKind(), w.namespace(), w.object().getMetadata().getName(), message);
        Instant now = clock.instant();
        try {
            client.v1().events().inNamespace(w.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(w.object().getMetadata().getName() + ".").withNamespace(w.namespace())
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withKind(w.object().getKind())
                            .withApiVersion(w.object().getApiVersion()).withNamespace(w.namespace())
                            .withName(w.object().getMetadata().getName()).withUid(w.object().getMetadata().getUid()).build())
                    .withType("Warning").withReason("InvalidMaxSpotRatio").withMessage(message + "; ignored")
                    .withNewSource().withComponent("archscaler").endSource().withReportingComponent("archscaler")
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.debug("could not record InvalidMaxSpotRatio on {}: {}", key, e.getMessage());
        }
    }

    private static boolean live(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return p.getMetadata().getDeletionTimestamp() == null && p.getSpec() != null
                && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private static Optional<OwnerReference> controller(HasMetadata o) {
        List<OwnerReference> owners = o.getMetadata() == null ? null : o.getMetadata().getOwnerReferences();
        return owners == null ? Optional.empty()
                : owners.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    /** A Deployment or StatefulSet with what the ratio needs of it. */
    private record Workload(HasMetadata object, String namespace, LabelSelector selector, int replicas) {
    }
}
