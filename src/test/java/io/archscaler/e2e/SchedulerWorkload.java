package io.archscaler.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A randomized workload for the kube-scheduler to judge the planner by, drawn from a seeded
 * {@link Random} so a seed names one workload. Each pod tolerates the own taint of exactly one node
 * group (or, now and then, almost tolerates it): the scheduler picks among feasible nodes by score,
 * so only a pod with at most one feasible group has one right answer to compare the plan with.
 * Everything else is drawn freely and may make the pod fit that group or nothing: nodeSelector,
 * required node affinity (In, NotIn, Exists, DoesNotExist, matchFields on metadata.name), the
 * groups' other taints, init and sidecar containers, a
 * RuntimeClass with overhead, an extended resource, and requests that no node can hold.
 */
final class SchedulerWorkload {
    /** The taint every group of the test carries with its own name as the value. */
    static final String GROUP_TAINT = "archscaler.io/e2e-group";
    /** The label every group's nodes carry, so the test's DaemonSets run on them and nowhere else. */
    static final String NODE_LABEL = "archscaler.io/e2e-sched";
    static final String GPU = "example.com/gpu";
    static final String RUNTIME_CLASS = "e2e-with-overhead";

    /** What the generator knows of a group: its name and the taints besides {@link #GROUP_TAINT}. */
    record Group(String name, List<Toleration> extraTolerations) {
    }

    /** Counts of what the workload holds, printed beside the result so a reader sees what was judged. */
    record Mix(Map<String, Integer> features) {
    }

    private static final String[] CPU = {"100m", "250m", "500m", "750m", "1", "1500m"};
    private static final String[] MEMORY = {"128Mi", "256Mi", "512Mi", "1Gi", "2Gi"};
    private static final String[][] SELECTORS = {{"workload", "general"}, {"workload", "batch"},
            {"kubernetes.io/arch", "amd64"}, {"kubernetes.io/arch", "arm64"}, {"disk", "ssd"},
            {"accelerator", "example-gpu"}};
    private static final String[] AFFINITY_KEYS = {"kubernetes.io/arch", "workload", "disk", "lifecycle", "accelerator"};
    private static final String[] AFFINITY_VALUES = {"amd64", "arm64", "general", "batch", "ssd", "spot", "example-gpu"};

    private final Random random;
    private final List<Group> groups;
    private final Map<String, Integer> features = new TreeMap<>();

    SchedulerWorkload(long seed, List<Group> groups) {
        this.random = new Random(seed);
        this.groups = List.copyOf(groups);
    }

    /** {@code count} pods named {@code p-000}..., in {@code namespace}. */
    List<Pod> pods(String namespace, int count) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(pod(namespace, String.format("p-%03d", i)));
        }
        return pods;
    }

    Mix mix() {
        return new Mix(Map.copyOf(features));
    }

    private Pod pod(String namespace, String name) {
        Group group = groups.get(random.nextInt(groups.size()));
        Container app = container("app", CPU[random.nextInt(CPU.length)], MEMORY[random.nextInt(MEMORY.length)]);
        if (chance(5)) {
            count("requests no node can hold");
            app = container("app", "5", "1Gi");
        }
        PodSpecBuilder spec = new PodSpecBuilder().withTolerations(tolerations(group));
        if (chance(25)) {
            String[] kv = SELECTORS[random.nextInt(SELECTORS.length)];
            count("nodeSelector");
            spec.withNodeSelector(Map.of(kv[0], kv[1]));
        }
        if (chance(30)) {
            spec.withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(terms()).endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity().endAffinity();
        }
        if (chance(25)) {
            count("init container");
            // often larger than the app container: the max rule then decides
            spec.addToInitContainers(container("init", CPU[random.nextInt(CPU.length)], "256Mi"));
        }
        if (chance(20)) {
            count("sidecar container");
            Container sidecar = container("sidecar", "100m", "64Mi");
            sidecar.setRestartPolicy("Always");
            spec.addToInitContainers(sidecar);
        }
        if (chance(20)) {
            count("runtimeClass with overhead");
            spec.withRuntimeClassName(RUNTIME_CLASS);
        }
        if ((group.name().equals("gpu") && chance(70)) || chance(4)) {
            int gpus = chance(10) ? 3 : 1 + random.nextInt(2);
            count("extended resource " + GPU);
            // an extended resource cannot be overcommitted: the API server wants its limit, which is its request
            app.getResources().setLimits(Map.of(GPU, new Quantity(Integer.toString(gpus))));
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withSpec(spec.withContainers(app).build()).build();
    }

    private List<Toleration> tolerations(Group group) {
        List<Toleration> out = new ArrayList<>();
        if (chance(6)) {
            count("group toleration of the wrong effect");
            out.add(new TolerationBuilder().withKey(GROUP_TAINT).withOperator("Equal").withValue(group.name())
                    .withEffect("NoExecute").build());
        } else if (chance(50)) {
            out.add(new TolerationBuilder().withKey(GROUP_TAINT).withOperator("Equal").withValue(group.name())
                    .withEffect("NoSchedule").build());
        } else {
            // no effect: tolerates every effect of that key and value
            out.add(new TolerationBuilder().withKey(GROUP_TAINT).withValue(group.name()).build());
        }
        for (Toleration t : group.extraTolerations()) {
            if (chance(85)) {
                out.add(t);
            } else {
                count("group taint not tolerated");
            }
        }
        return out;
    }

    private List<NodeSelectorTerm> terms() {
        List<NodeSelectorTerm> terms = new ArrayList<>();
        int n = 1 + random.nextInt(2);
        if (n > 1) {
            count("affinity with ORed terms");
        }
        for (int t = 0; t < n; t++) {
            List<NodeSelectorRequirement> exprs = new ArrayList<>();
            List<NodeSelectorRequirement> fields = new ArrayList<>();
            int e = 1 + random.nextInt(2);
            for (int i = 0; i < e; i++) {
                exprs.add(expression());
            }
            if (chance(20)) {
                // a new node is never named so: In pins to a node that does not exist, NotIn excludes one
                String op = random.nextBoolean() ? "In" : "NotIn";
                count("affinity matchFields metadata.name " + op);
                fields.add(new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator(op)
                        .withValues("e2e-sched-absent-node").build());
            }
            terms.add(new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder().withMatchExpressions(exprs)
                    .withMatchFields(fields).build());
        }
        return terms;
    }

    private NodeSelectorRequirement expression() {
        String key = AFFINITY_KEYS[random.nextInt(AFFINITY_KEYS.length)];
        String value = AFFINITY_VALUES[random.nextInt(AFFINITY_VALUES.length)];
        NodeSelectorRequirementBuilder r = new NodeSelectorRequirementBuilder().withKey(key);
        // a value that is not a label value is not drawn: this API server refuses such a pod at creation
        // (the planner's own table test covers pods that older API servers let in)
        switch (random.nextInt(4)) {
            case 0 -> r.withOperator("In").withValues(value, AFFINITY_VALUES[random.nextInt(AFFINITY_VALUES.length)]);
            case 1 -> r.withOperator("NotIn").withValues(value);
            case 2 -> r.withOperator("Exists");
            default -> r.withOperator("DoesNotExist");
        }
        count("affinity " + r.getOperator());
        return r.build();
    }

    private static Container container(String name, String cpu, String memory) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(cpu));
        requests.put("memory", new Quantity(memory));
        return new ContainerBuilder().withName(name).withImage("example/" + name + ":1")
                .withNewResources().withRequests(requests).endResources().build();
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private void count(String feature) {
        features.merge(feature, 1, Integer::sum);
    }
}
