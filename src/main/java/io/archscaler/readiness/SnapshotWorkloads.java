package io.archscaler.readiness;

import io.archscaler.config.NodeGroupConfig;
import io.archscaler.images.PodImageArchs;
import io.archscaler.kube.KubeNodes;
import io.archscaler.kube.KubePods;
import io.archscaler.kube.KubeTranslationException;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.readiness.PodPlacement;
import io.archscaler.scaler.readiness.WorkloadId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The workloads of a snapshot ({@code kubectl get pods,deployments,statefulsets,daemonsets,jobs,nodes
 * -A -o yaml}): each pod is counted under the top of its owner chain (Pod → ReplicaSet → Deployment,
 * Pod → Job → CronJob), as far as the snapshot or the {@code pod-template-hash} label tell; a pod
 * with no controller is a workload of its own. A workload's requests and arch pins come from its pod
 * template, or from its first pod when its controller is not in the snapshot.
 */
final class SnapshotWorkloads {
    private static final String POD_TEMPLATE_HASH = "pod-template-hash";
    /** The kinds whose pods are counted under them (and whose pod template gives the requests). */
    private static final Set<Class<?>> WORKLOAD_KINDS = Set.of(Deployment.class, StatefulSet.class, DaemonSet.class,
            ReplicaSet.class, Job.class, CronJob.class);

    private final Map<String, HasMetadata> controllers = new HashMap<>();
    private final Map<String, Placed> nodes = new HashMap<>();

    /** A node's group (or null) and arch (or null). */
    private record Placed(String group, Arch arch) {
    }

    private SnapshotWorkloads() {
    }

    /** The workloads, pods counted where they run; a bad object is a {@code KubeTranslationException} naming it. */
    static List<WorkloadSpec> of(List<HasMetadata> objects, List<NodeGroupConfig> groups) {
        SnapshotWorkloads s = new SnapshotWorkloads();
        NodeGroupMembership membership = NodeGroupMembership.of(groups);
        Map<String, Arch> groupArch = new HashMap<>();
        groups.forEach(g -> groupArch.put(g.name(), g.arch()));
        List<Pod> pods = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o.getMetadata() == null || o.getMetadata().getName() == null || o.getMetadata().getName().isBlank()) {
                throw new KubeTranslationException("a " + o.getKind() + " has no metadata.name");
            }
            if (o instanceof Node n) {
                String group = membership.groupOf(n.getMetadata().getLabels()).orElse(null);
                s.nodes.put(KubeNodes.name(n), new Placed(group, KubeNodes.arch(n).orElse(groupArch.get(group))));
            } else if (o instanceof Pod p) {
                pods.add(p);
            } else if (WORKLOAD_KINDS.contains(o.getClass())) {
                s.controllers.put(key(namespace(o), o.getKind(), o.getMetadata().getName()), o);
            }
        }
        return s.workloads(pods);
    }

    private List<WorkloadSpec> workloads(List<Pod> pods) {
        Map<WorkloadId, List<Pod>> podsOf = new TreeMap<>();
        for (HasMetadata c : controllers.values()) {
            podsOf.computeIfAbsent(top(c), k -> new ArrayList<>());
        }
        for (Pod p : pods) {
            podsOf.computeIfAbsent(top(p), k -> new ArrayList<>()).add(p);
        }
        List<WorkloadSpec> out = new ArrayList<>();
        podsOf.forEach((id, owned) -> {
            owned.sort(Comparator.comparing(p -> p.getMetadata().getName()));
            HasMetadata controller = templateSource(id);
            Optional<PodSpec> spec;
            String field;
            if (controller != null) {
                spec = template(controller).map(PodTemplateSpec::getSpec);
                field = controller instanceof CronJob ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
            } else {
                spec = Optional.ofNullable(owned.get(0).getSpec());
                field = "pod " + id.namespace() + "/" + owned.get(0).getMetadata().getName() + ": spec";
            }
            if (spec.isEmpty()) {
                throw new KubeTranslationException(id + ": " + field + ": missing");
            }
            if (spec.get().getContainers() == null || spec.get().getContainers().isEmpty()) {
                throw new KubeTranslationException(id + ": " + field + ".containers: missing");
            }
            out.add(new WorkloadSpec(id, template(id, spec.get()), PodImageArchs.images(spec.get()),
                    placements(controller, owned)));
        });
        return out;
    }

    /**
     * The object whose pod template stands for the workload: the workload itself when the snapshot has
     * it, else the controller below it with the most desired replicas (a Deployment's current
     * ReplicaSet), else null.
     */
    private HasMetadata templateSource(WorkloadId id) {
        HasMetadata self = controllers.get(key(id.namespace(), id.kind(), id.name()));
        if (self != null) {
            return self;
        }
        return controllers.values().stream().filter(c -> top(c).equals(id))
                .max(Comparator.comparingInt(SnapshotWorkloads::desiredReplicas)
                        .thenComparing(c -> c.getMetadata().getName(), Comparator.reverseOrder()))
                .orElse(null);
    }

    private static PendingPod template(WorkloadId id, PodSpec spec) {
        return new PendingPod(id.namespace(), id.name(), KubePods.requests(id.toString(), spec), spec.getNodeSelector(),
                KubePods.requiredAffinity(spec), List.of(), null, null);
    }

    /** Where the active pods run, by group and arch; a controller with none yet counts its desired replicas as not scheduled. */
    private List<PodPlacement> placements(HasMetadata controller, List<Pod> owned) {
        Map<String, PodPlacement> by = new TreeMap<>();
        for (Pod p : owned) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            String nodeName = p.getSpec() == null ? null : p.getSpec().getNodeName();
            Placed at = nodeName == null ? null : nodes.get(nodeName);
            String group = at == null ? null : at.group();
            Arch arch = at == null ? null : at.arch();
            by.merge(group + "|" + arch, new PodPlacement(group, arch, 1),
                    (a, b) -> new PodPlacement(a.nodeGroup(), a.arch(), a.pods() + 1));
        }
        if (by.isEmpty() && controller != null) {
            int desired = desiredReplicas(controller);
            return desired > 0 ? List.of(new PodPlacement(null, null, desired)) : List.of();
        }
        return List.copyOf(by.values());
    }

    private static int desiredReplicas(HasMetadata controller) {
        Integer replicas = null;
        if (controller instanceof Deployment d && d.getSpec() != null) {
            replicas = d.getSpec().getReplicas();
        } else if (controller instanceof StatefulSet s && s.getSpec() != null) {
            replicas = s.getSpec().getReplicas();
        } else if (controller instanceof ReplicaSet r && r.getSpec() != null) {
            replicas = r.getSpec().getReplicas();
        }
        return replicas == null ? 0 : replicas;
    }

    /** The top of the object's owner chain, as far as the snapshot and pod-template-hash tell. */
    private WorkloadId top(HasMetadata object) {
        String ns = namespace(object);
        String kind = object.getKind();
        String name = object.getMetadata().getName();
        if (name == null || name.isBlank()) {
            throw new KubeTranslationException("a " + kind + " in namespace " + ns + " has no metadata.name");
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        for (int depth = 0; depth < 8; depth++) {
            Optional<OwnerReference> owner = controllerOf(object);
            if (owner.isEmpty()) {
                break;
            }
            kind = owner.get().getKind();
            name = owner.get().getName();
            object = controllers.get(key(ns, kind, name));
            if (object == null) {
                // a ReplicaSet a Deployment made is named <deployment>-<pod-template-hash>
                String hash = labels == null ? null : labels.get(POD_TEMPLATE_HASH);
                if ("ReplicaSet".equals(kind) && hash != null && name.endsWith("-" + hash)) {
                    kind = "Deployment";
                    name = name.substring(0, name.length() - hash.length() - 1);
                }
                break;
            }
        }
        return new WorkloadId(ns, kind, name);
    }

    private static Optional<OwnerReference> controllerOf(HasMetadata o) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        return owners == null ? Optional.empty() : owners.stream()
                .filter(r -> r != null && Boolean.TRUE.equals(r.getController()) && r.getKind() != null && r.getName() != null)
                .findFirst();
    }

    /** The pod template of a workload object, if it is a kind that has one. */
    private static Optional<PodTemplateSpec> template(HasMetadata o) {
        PodTemplateSpec t = null;
        if (o instanceof Deployment d && d.getSpec() != null) {
            t = d.getSpec().getTemplate();
        } else if (o instanceof StatefulSet s && s.getSpec() != null) {
            t = s.getSpec().getTemplate();
        } else if (o instanceof DaemonSet ds && ds.getSpec() != null) {
            t = ds.getSpec().getTemplate();
        } else if (o instanceof ReplicaSet r && r.getSpec() != null) {
            t = r.getSpec().getTemplate();
        } else if (o instanceof Job j && j.getSpec() != null) {
            t = j.getSpec().getTemplate();
        } else if (o instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
                && c.getSpec().getJobTemplate().getSpec() != null) {
            t = c.getSpec().getJobTemplate().getSpec().getTemplate();
        }
        return Optional.ofNullable(t);
    }

    private static String namespace(HasMetadata o) {
        String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    private static String key(String namespace, String kind, String name) {
        return namespace + "/" + kind + "/" + name;
    }
}
