package io.archscaler.hpa;

import io.archscaler.events.MetricSample;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.hpa.HeadroomBook;
import io.archscaler.scaler.hpa.Hpa;
import io.archscaler.scaler.hpa.HpaPredictor;
import io.archscaler.scaler.hpa.Prediction;
import io.archscaler.scaler.hpa.ReplicaStatus;
import io.archscaler.scaler.hpa.TrackedHpa;
import io.archscaler.scaler.hpa.WorkloadRef;
import io.archscaler.scaler.model.PendingPod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Plans ahead of HPAs: keeps the HPAs (autoscaling/v2) and the workloads they scale, turns each
 * metric sample into the replicas the HPA will ask for, and books the pods it will add as
 * headroom, to be planned like pending pods until the real pods arrive or {@code headroomTtl}
 * passes. Single-threaded: every method is called on the scaler's context.
 */
public final class HpaHeadroom {
    private static final Logger LOG = LoggerFactory.getLogger(HpaHeadroom.class);

    /**
     * What a metric sample led to.
     *
     * @param headroomPods the headroom pods held for the workload now
     */
    public record Forecast(String hpa, WorkloadRef workload, Prediction prediction, int headroomPods) {
    }

    /**
     * An HPA acted: its {@code status.desiredReplicas} went from {@code previousReplicas} to
     * {@code actualReplicas}; the last prediction, made at {@code predictedAt}, said
     * {@code predictedReplicas}.
     */
    public record PredictionCheck(String hpa, int previousReplicas, int predictedReplicas, int actualReplicas,
                                  Instant predictedAt, Instant observedAt) {
        /** Actual minus predicted: positive when the HPA asked for more than predicted. */
        public int error() {
            return actualReplicas - predictedReplicas;
        }
    }

    private final String cluster;
    private final Function<Pod, PendingPod> podModel;
    private final HpaPredictor predictor;
    private final Clock clock;
    private final Duration metricMaxAge;
    private final HeadroomBook book;
    private final Map<String, TrackedHpa> hpas = new TreeMap<>();
    private final Map<String, String> invalid = new TreeMap<>();
    private final Map<String, Workload> workloads = new HashMap<>();
    private final Map<String, PendingPod> templates = new HashMap<>();
    private final Map<String, String> replicaSetOwners = new HashMap<>();

    /**
     * @param cluster     samples naming another cluster are ignored
     * @param headroomTtl how long headroom waits for the HPA's pods; also how old a metric value
     *                    may be and still count
     * @param podModel    the planner's pod translation (image architectures included where known)
     */
    public HpaHeadroom(String cluster, Duration headroomTtl, Function<Pod, PendingPod> podModel, Clock clock) {
        this(cluster, headroomTtl, podModel, new HpaPredictor(), clock);
    }

    public HpaHeadroom(String cluster, Duration headroomTtl, Function<Pod, PendingPod> podModel, HpaPredictor predictor,
                       Clock clock) {
        this.cluster = cluster;
        this.podModel = podModel;
        this.predictor = predictor;
        this.clock = clock;
        this.metricMaxAge = headroomTtl;
        this.book = new HeadroomBook(clock, headroomTtl);
    }

    /**
     * An HPA (autoscaling/v2) or a Deployment, StatefulSet or ReplicaSet was added, changed or
     * deleted; other kinds are ignored. Returns a check of the last prediction when an HPA's
     * {@code status.desiredReplicas} changed.
     */
    public Optional<PredictionCheck> onObject(HasMetadata object, boolean deleted) {
        if (object instanceof HorizontalPodAutoscaler h) {
            return onHpa(h, deleted);
        }
        if (Workload.isWorkload(object) && object.getMetadata() != null && object.getMetadata().getName() != null) {
            onWorkload(object, deleted);
        }
        return Optional.empty();
    }

    /**
     * A new value of one metric of an HPA: predicts the HPA's replicas and books headroom for the
     * pods it will add. Empty when the sample is for another cluster, an unknown HPA or metric,
     * or when nothing can be predicted yet (no current replicas known).
     */
    public Optional<Forecast> onSample(MetricSample sample) {
        if (cluster != null && sample.cluster() != null && !sample.cluster().isBlank() && !cluster.equals(sample.cluster())) {
            return Optional.empty();
        }
        String key = sample.namespace() + "/" + sample.hpa();
        TrackedHpa t = hpas.get(key);
        if (t == null || t.hpa().metricsNamed(sample.metric()).isEmpty()) {
            LOG.debug("sample for {} metric {} matches no known HPA metric", key, sample.metric());
            return Optional.empty();
        }
        if (!Double.isFinite(sample.value()) || sample.value() < 0) {
            LOG.warn("sample for {} metric {} has no usable value ({})", key, sample.metric(), sample.value());
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant at = sample.timestamp() == null ? now : sample.timestamp();
        t = t.sampled(sample.metric(), BigDecimal.valueOf(sample.value()), at);
        hpas.put(key, t);
        Integer current = currentReplicas(t);
        if (current == null) {
            return Optional.empty();
        }
        Optional<Prediction> predicted = predictor.predict(t.hpa(), current, t.freshValues(now, metricMaxAge),
                t.history(), now);
        if (predicted.isEmpty()) {
            return Optional.empty();
        }
        Prediction p = predicted.get();
        t = t.predicted(p, now);
        hpas.put(key, t);
        WorkloadRef target = t.hpa().target();
        PendingPod template = template(target);
        int held;
        if (template != null) {
            held = book.record(target, template, p.desiredReplicas(), current)
                    .map(HeadroomBook.Entry::remaining).orElse(0);
        } else {
            book.withdraw(target);
            held = 0;
        }
        if (p.extraReplicas() > 0) {
            LOG.info("HPA {} will scale {} from {} to {} ({} on {}); holding {} headroom pod(s)", key, target,
                    current, p.desiredReplicas(), p.reason(), p.metric(), held);
        }
        return Optional.of(new Forecast(key, target, p, held));
    }

    /**
     * A pod was seen pending or scheduled; a new pod of a workload holding headroom releases one
     * headroom pod. Returns the arrival, with when the headroom was booked.
     */
    public Optional<HeadroomBook.Arrival> onPodSeen(Pod pod) {
        // most pods come while no headroom is held: nothing to match them against
        if (book.isEmpty() || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            return Optional.empty();
        }
        String owner = KubePods.ownerKey(pod);
        if (owner == null) {
            return Optional.empty();
        }
        String ns = namespace(pod.getMetadata().getNamespace());
        String podKey = ns + "/" + pod.getMetadata().getName();
        Instant created = creationTime(pod.getMetadata().getCreationTimestamp());
        int slash = owner.indexOf('/');
        WorkloadRef direct = new WorkloadRef(ns, owner.substring(0, slash), owner.substring(slash + 1));
        Optional<HeadroomBook.Arrival> arrival = book.podArrived(direct, podKey, created);
        if (arrival.isPresent() || !"ReplicaSet".equals(direct.kind())) {
            return arrival;
        }
        return deploymentOf(direct, pod).flatMap(d -> book.podArrived(d, podKey, created));
    }

    /** The headroom pods to plan now (headroom past its time to live is released first). */
    public List<PendingPod> headroomPods() {
        for (HeadroomBook.Released r : book.expire()) {
            LOG.info("headroom of {} pod(s) for {} released: the HPA's pods did not come within the TTL",
                    r.pods(), r.workload());
        }
        return book.pods();
    }

    /** The keys of the headroom pods held now. */
    public Set<String> headroomPodKeys() {
        if (book.isEmpty()) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        book.pods().forEach(p -> keys.add(p.key()));
        return keys;
    }

    /** The headroom held, per workload. */
    public List<HeadroomBook.Entry> headroom() {
        return book.entries();
    }

    /** The last predicted replicas per HPA ({@code namespace/name}). */
    public Map<String, Integer> predictedReplicas() {
        Map<String, Integer> out = new TreeMap<>();
        hpas.forEach((k, t) -> {
            if (t.last() != null) {
                out.put(k, t.last().prediction().desiredReplicas());
            }
        });
        return out;
    }

    /** HPAs that cannot be read, with the reason. */
    public Map<String, String> invalidHpas() {
        return Map.copyOf(invalid);
    }

    private Optional<PredictionCheck> onHpa(HorizontalPodAutoscaler h, boolean deleted) {
        if (h.getMetadata() == null || h.getMetadata().getName() == null) {
            return Optional.empty();
        }
        String key = HpaTranslation.key(h);
        if (deleted) {
            invalid.remove(key);
            forget(key);
            return Optional.empty();
        }
        Hpa model;
        try {
            model = HpaTranslation.toHpa(h);
        } catch (HpaTranslationException e) {
            if (!e.getMessage().equals(invalid.put(key, e.getMessage()))) {
                LOG.warn("HPA {} is not planned ahead: {}", key, e.getMessage());
            }
            forget(key);
            return Optional.empty();
        }
        invalid.remove(key);
        Instant now = clock.instant();
        ReplicaStatus status = h.getStatus() == null ? ReplicaStatus.NONE
                : new ReplicaStatus(h.getStatus().getCurrentReplicas(), h.getStatus().getDesiredReplicas());
        TrackedHpa t = hpas.get(key);
        if (t == null) {
            t = TrackedHpa.first(model, status, workloadReplicas(model.target()), now);
        } else if (t.retargetedBy(model)) {
            book.withdraw(t.hpa().target());
        }
        Optional<PredictionCheck> check = t.acted(status).map(a -> new PredictionCheck(key, a.previousReplicas(),
                a.predictedReplicas(), a.actualReplicas(), a.predictedAt(), now));
        hpas.put(key, t.observed(model, status));
        return check;
    }

    private void forget(String hpaKey) {
        TrackedHpa t = hpas.remove(hpaKey);
        if (t != null) {
            book.withdraw(t.hpa().target());
        }
    }

    private void onWorkload(HasMetadata object, boolean deleted) {
        WorkloadRef ref = Workload.refOf(object);
        String rsKey = ref.namespace() + "/" + ref.name();
        if (deleted) {
            workloads.remove(ref.key());
            templates.remove(ref.key());
            if (object instanceof ReplicaSet) {
                replicaSetOwners.remove(rsKey);
            }
            book.withdraw(ref);
            return;
        }
        Optional<Workload> w = Workload.of(object);
        if (w.isEmpty()) {
            return;
        }
        Workload now = w.get();
        if (object instanceof ReplicaSet) {
            if (now.controller() != null && now.controller().startsWith("Deployment/")) {
                replicaSetOwners.put(rsKey, now.controller().substring("Deployment/".length()));
            } else {
                replicaSetOwners.remove(rsKey);
            }
        }
        Workload old = workloads.put(ref.key(), now);
        templates.remove(ref.key());
        if (old != null && old.replicas() != now.replicas()) {
            Instant at = clock.instant();
            for (TrackedHpa t : hpas.values()) {
                if (t.hpa().target().equals(ref)) {
                    t.history().scaled(old.replicas(), now.replicas(), at);
                }
            }
        }
        if (book.entry(ref).isPresent()) {
            PendingPod template = template(ref);
            if (template != null) {
                book.updateTemplate(ref, template);
            }
        }
    }

    private Integer currentReplicas(TrackedHpa t) {
        return t.currentReplicas(workloadReplicas(t.hpa().target()));
    }

    /** The target's {@code spec.replicas}, or null when the workload is not known. */
    private Integer workloadReplicas(WorkloadRef target) {
        Workload w = workloads.get(target.key());
        return w == null ? null : w.replicas();
    }

    /** The workload's pod template as the planner sees it, translated once per workload version. */
    private PendingPod template(WorkloadRef ref) {
        PendingPod cached = templates.get(ref.key());
        if (cached != null) {
            return cached;
        }
        Workload w = workloads.get(ref.key());
        if (w == null || w.template() == null || w.template().getSpec() == null) {
            return null;
        }
        try {
            PendingPod p = podModel.apply(w.templatePod());
            templates.put(ref.key(), p);
            return p;
        } catch (RuntimeException e) {
            LOG.warn("the pod template of {} cannot be planned: {}", ref, e.getMessage());
            return null;
        }
    }

    /** The Deployment owning a ReplicaSet, by the ReplicaSet's owner or else by the pod-template-hash naming rule. */
    private Optional<WorkloadRef> deploymentOf(WorkloadRef replicaSet, Pod pod) {
        String owner = replicaSetOwners.get(replicaSet.namespace() + "/" + replicaSet.name());
        if (owner != null) {
            return Optional.of(new WorkloadRef(replicaSet.namespace(), "Deployment", owner));
        }
        String hash = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get("pod-template-hash");
        if (hash != null && replicaSet.name().endsWith("-" + hash) && replicaSet.name().length() > hash.length() + 1) {
            return Optional.of(new WorkloadRef(replicaSet.namespace(), "Deployment",
                    replicaSet.name().substring(0, replicaSet.name().length() - hash.length() - 1)));
        }
        return Optional.empty();
    }

    private static Instant creationTime(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String namespace(String ns) {
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
