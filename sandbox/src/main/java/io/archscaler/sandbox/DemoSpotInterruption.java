package io.archscaler.sandbox;

import io.archscaler.cloud.aws.ProviderIds;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.testing.SqsQueueServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The demo's spot interruption step: an SQS-compatible queue (ElasticMQ, in-process, on loopback)
 * configured as {@code aws.interruptionQueue}, into which the step puts the EC2 Spot Instance
 * Interruption Warning EventBridge would send for the instance of one node of a spot group (only
 * spot instances get one); the step then watches the node being tainted, drained and gone, and
 * the pods of its workloads running again.
 */
final class DemoSpotInterruption implements AutoCloseable {
    /** What the step saw; {@code node} empty when no spot node ran pods. */
    public record Result(String node, double seconds, boolean withinNotice, int pods, int podsLost) {
    }

    /** A spot instance's notice: AWS takes the instance two minutes after the warning. */
    static final Duration NOTICE = Duration.ofMinutes(2);
    private static final String ARCH = "kubernetes.io/arch";
    private static final String INTERRUPTED_TAINT = "archscaler.io/interrupted";

    private final SqsQueueServer sqs;
    private final URI queue;
    private final Clock clock;

    DemoSpotInterruption(Clock clock) {
        this.clock = clock;
        this.sqs = SqsQueueServer.start();
        this.queue = sqs.createQueue("archscaler-demo-interruptions");
    }

    /** The config section pointing Archscaler at the queue. */
    String extraConfig() {
        return "\naws:\n  region: " + SqsQueueServer.REGION + "\n  endpoints: {sqs: \"" + sqs.endpoint()
                + "\"}\n  interruptionQueue: \"" + queue + "\"\n";
    }

    /** One line for the demo's first lines. */
    String describe() {
        return "interruption queue " + queue + " (ElasticMQ)";
    }

    /**
     * The step: the spot node running the most pods gets a spot interruption warning through the
     * queue; Archscaler taints and drains it, asks for its pods' capacity and removes its instance
     * within the two-minute notice.
     */
    Result step(DemoCluster cluster, Consumer<String> say) throws InterruptedException {
        Node node = pick(cluster).orElse(null);
        if (node == null) {
            say.accept("script: spot interruption skipped: no spot node runs pods");
            return new Result("", 0, false, 0, 0);
        }
        say.accept("script: spot interruption: EventBridge puts an EC2 Spot Instance Interruption Warning for spot"
                + " node " + node.getMetadata().getName() + " (" + labels(node).get(NodeTemplate.GROUP_LABEL) + ", "
                + labels(node).get(ARCH) + ") in the interruption queue; AWS takes the instance in 2 minutes");
        return interrupt(cluster, node, say);
    }

    /** The spot node in service running the most of the demo's pods; empty when none runs any. */
    private static Optional<Node> pick(DemoCluster cluster) {
        Map<String, Integer> podsOn = new TreeMap<>();
        cluster.pods().forEach(p -> {
            if (p.getSpec().getNodeName() != null) {
                podsOn.merge(p.getSpec().getNodeName(), 1, Integer::sum);
            }
        });
        return cluster.nodes().stream()
                .filter(n -> CapacityType.SPOT.label().equals(labels(n).get(CapacityType.LABEL))
                        && !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
                .filter(n -> ProviderIds.instanceId(n.getSpec().getProviderID()).isPresent())
                .filter(n -> podsOn.containsKey(n.getMetadata().getName()))
                .max(Comparator.comparing((Node n) -> podsOn.get(n.getMetadata().getName()))
                        .thenComparing(n -> n.getMetadata().getName(), Comparator.reverseOrder()));
    }

    /**
     * Sends the warning for the node's instance and follows the handling, saying each stage once,
     * until the node is gone and every pod of the workloads it ran is Running again, or the notice ends.
     */
    private Result interrupt(DemoCluster cluster, Node n, Consumer<String> say) throws InterruptedException {
        String node = n.getMetadata().getName();
        String instance = ProviderIds.instanceId(n.getSpec().getProviderID()).orElseThrow();
        String group = labels(n).get(NodeTemplate.GROUP_LABEL);
        Map<String, Integer> workloads = new TreeMap<>();
        cluster.pods().stream().filter(p -> node.equals(p.getSpec().getNodeName()))
                .forEach(p -> workloads.merge(app(p), 1, Integer::sum));
        int pods = workloads.values().stream().mapToInt(Integer::intValue).sum();
        Instant sent = clock.instant();
        sqs.send(queue, warning(instance, sent));
        say.accept("spot interruption warning for " + node + " (" + instance + ") sent to the queue; "
                + pods + " pods on it, of " + String.join(", ", workloads.keySet()));
        Instant deadline = sent.plus(NOTICE);
        boolean tainted = false;
        boolean drained = false;
        boolean gone = false;
        while (clock.instant().isBefore(deadline)) {
            Node now = cluster.client().nodes().withName(node).get();
            // a drain may be over between two looks: Archscaler's Event on the node says it was tainted
            if (!tainted && ((now != null && hasTaint(now)) || taintedEvent(cluster, node))) {
                tainted = true;
                say.accept(node + " tainted " + INTERRUPTED_TAINT + "=spot_interruption:NoSchedule and cordoned;"
                        + " its pods' replacement asked for");
            }
            if (!drained && cluster.pods().stream().noneMatch(p -> node.equals(p.getSpec().getNodeName()))) {
                drained = true;
                say.accept(node + " drained: its " + pods + " pods evicted");
            }
            if (!gone && now == null) {
                gone = true;
                say.accept(node + " gone: its instance left " + group + " with the target one lower");
            }
            if (gone && lost(cluster, workloads.keySet()) == 0) {
                break;
            }
            Thread.sleep(100);
        }
        double seconds = Duration.between(sent, clock.instant()).toMillis() / 1000.0;
        int lost = lost(cluster, workloads.keySet());
        boolean within = gone && lost == 0 && !clock.instant().isAfter(deadline);
        say.accept(String.format(Locale.ROOT, "%s replaced %s the notice in %.1fs: every pod of %s"
                + " Running again (%d lost)", node, within ? "within" : "NOT within", seconds,
                String.join(", ", workloads.keySet()), lost));
        return new Result(node, seconds, within, pods, lost);
    }

    /** Replicas of the workloads not Running on a node: wanted minus those that run. */
    private static int lost(DemoCluster cluster, Iterable<String> workloads) {
        Map<String, Integer> replicas = cluster.replicas();
        List<Pod> pods = cluster.pods();
        int lost = 0;
        for (String w : workloads) {
            long running = pods.stream().filter(p -> w.equals(app(p)) && p.getSpec().getNodeName() != null
                    && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
            lost += Math.max(0, replicas.getOrDefault(w, 0) - (int) running);
        }
        return lost;
    }

    private static boolean taintedEvent(DemoCluster cluster, String node) {
        return cluster.client().v1().events().inAnyNamespace().list().getItems().stream()
                .anyMatch(e -> e.getInvolvedObject() != null && node.equals(e.getInvolvedObject().getName())
                        && "SpotInterruption".equals(e.getReason()) && e.getMessage() != null
                        && e.getMessage().contains("tainted " + INTERRUPTED_TAINT));
    }

    private static boolean hasTaint(Node n) {
        return n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(t -> INTERRUPTED_TAINT.equals(t.getKey()));
    }

    private static String app(Pod p) {
        return p.getMetadata().getLabels() == null ? "" : p.getMetadata().getLabels().getOrDefault("app", "");
    }

    private static Map<String, String> labels(Node n) {
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    /** The event EventBridge puts in the queue for an EC2 Spot Instance Interruption Warning. */
    private static String warning(String instance, Instant time) {
        return """
                {"version": "0", "id": "%s", "detail-type": "EC2 Spot Instance Interruption Warning",
                 "source": "aws.ec2", "account": "123456789012", "time": "%s", "region": "%s",
                 "resources": ["arn:aws:ec2:%s:instance/%s"],
                 "detail": {"instance-id": "%s", "instance-action": "terminate"}}""".formatted(UUID.randomUUID(),
                time, SqsQueueServer.REGION, SqsQueueServer.REGION, instance, instance);
    }

    @Override
    public void close() {
        sqs.stop();
    }
}
