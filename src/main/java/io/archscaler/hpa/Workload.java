package io.archscaler.hpa;

import io.archscaler.scaler.hpa.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;
import java.util.Optional;

/**
 * A workload an HPA can scale (Deployment, StatefulSet, ReplicaSet): its desired replicas, the pod
 * template its new pods come from, and (for a ReplicaSet) the Deployment that owns it.
 *
 * @param replicas   {@code spec.replicas}, 1 when left out (the API default)
 * @param controller {@code Kind/name} of the controlling owner, or null
 */
public record Workload(WorkloadRef ref, int replicas, PodTemplateSpec template, String controller) {

    /** The workload an object is, or empty for any other kind. */
    public static Optional<Workload> of(HasMetadata o) {
        if (o.getMetadata() == null || o.getMetadata().getName() == null) {
            return Optional.empty();
        }
        if (o instanceof Deployment d && d.getSpec() != null) {
            return Optional.of(create(o, "Deployment", d.getSpec().getReplicas(), d.getSpec().getTemplate()));
        }
        if (o instanceof StatefulSet s && s.getSpec() != null) {
            return Optional.of(create(o, "StatefulSet", s.getSpec().getReplicas(), s.getSpec().getTemplate()));
        }
        if (o instanceof ReplicaSet r && r.getSpec() != null) {
            return Optional.of(create(o, "ReplicaSet", r.getSpec().getReplicas(), r.getSpec().getTemplate()));
        }
        return Optional.empty();
    }

    /** Whether an object is of a kind {@link #of} understands. */
    public static boolean isWorkload(HasMetadata o) {
        return o instanceof Deployment || o instanceof StatefulSet || o instanceof ReplicaSet;
    }

    /** The reference an object of a workload kind has, even without a spec (a deleted object). */
    public static WorkloadRef refOf(HasMetadata o) {
        return new WorkloadRef(namespace(o), o.getKind() != null ? o.getKind() : kindOf(o), o.getMetadata().getName());
    }

    /**
     * A pod as the workload's controller would create it from the template, named
     * {@code <workload>-headroom}, owned by the workload; for the planner's pod translation.
     */
    public Pod templatePod() {
        PodBuilder b = new PodBuilder();
        if (template != null && template.getMetadata() != null) {
            b.withNewMetadataLike(template.getMetadata()).endMetadata();
        }
        return b.editOrNewMetadata()
                .withNamespace(ref.namespace())
                .withName(ref.name() + "-headroom")
                .withOwnerReferences(new OwnerReference("apps/v1", false, true, ref.kind(), ref.name(), null))
                .endMetadata()
                .withSpec(template == null ? null : template.getSpec())
                .build();
    }

    private static Workload create(HasMetadata o, String kind, Integer replicas, PodTemplateSpec template) {
        WorkloadRef ref = new WorkloadRef(namespace(o), kind, o.getMetadata().getName());
        return new Workload(ref, replicas == null ? 1 : replicas, template, controller(o));
    }

    private static String controller(HasMetadata o) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (owners == null) {
            return null;
        }
        return owners.stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(r -> r.getKind() + "/" + r.getName()).findFirst().orElse(null);
    }

    private static String kindOf(HasMetadata o) {
        if (o instanceof Deployment) {
            return "Deployment";
        }
        if (o instanceof StatefulSet) {
            return "StatefulSet";
        }
        if (o instanceof ReplicaSet) {
            return "ReplicaSet";
        }
        return o.getClass().getSimpleName();
    }

    private static String namespace(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
