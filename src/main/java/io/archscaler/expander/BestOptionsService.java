package io.archscaler.expander;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ExpanderConfig;
import io.archscaler.expander.grpc.BestOptionsRequest;
import io.archscaler.expander.grpc.BestOptionsResponse;
import io.archscaler.expander.grpc.Option;
import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PodImages;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.kube.KubeNodes;
import io.archscaler.kube.KubePods;
import io.archscaler.kube.NodeGroupMembership;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.caexpander.Drop;
import io.archscaler.scaler.caexpander.OptionRanking;
import io.archscaler.scaler.caexpander.Ranking;
import io.archscaler.scaler.caexpander.ScaleUpOption;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Answers Cluster Autoscaler's {@code BestOptions}: decodes the pods and template nodes CA sent,
 * looks the pods' images up (bounded by {@code lookupTimeout}; a lookup not done by then leaves the
 * pod ranked on its own constraints, and goes on to fill the cache), ranks with
 * {@link OptionRanking}, and records the call. Never fails: bad input answers with the options as
 * they came, which is what CA does itself on any error.
 */
public final class BestOptionsService {
    private static final Logger LOG = LoggerFactory.getLogger(BestOptionsService.class);

    private final PodImageArchs images;
    private final PullSecretResolver pullSecrets;
    private final Map<String, NodeGroup> groups;
    private final NodeGroupMembership membership;
    private final Duration lookupTimeout;
    private final ArchscalerMetrics metrics;
    private final ExpanderCalls calls;
    private final Executor lookupStarter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "archscaler-expander-lookup");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param groups the configured node groups by name: an option maps to one by its id or by its
     *               template's group label ({@code archscaler.io/node-group}, EKS's, Cluster API's)
     */
    public BestOptionsService(PodImageArchs images, PullSecretResolver pullSecrets, Map<String, NodeGroup> groups,
                              Duration lookupTimeout, ArchscalerMetrics metrics, ExpanderCalls calls) {
        this.images = Objects.requireNonNull(images, "images");
        this.pullSecrets = Objects.requireNonNull(pullSecrets, "pullSecrets");
        this.groups = Map.copyOf(groups);
        this.membership = new NodeGroupMembership(groups.keySet());
        this.lookupTimeout = lookupTimeout;
        this.metrics = metrics;
        this.calls = calls;
    }

    /** The service for a configuration: its node groups by name, its {@code expander.lookupTimeout}. */
    public static BestOptionsService forConfig(ArchscalerConfig config, PodImageArchs images, PullSecretResolver pullSecrets,
                                               ArchscalerMetrics metrics, ExpanderCalls calls) {
        Map<String, NodeGroup> groups = new LinkedHashMap<>();
        config.nodeGroups().forEach(g -> groups.put(g.name(), g.toNodeGroup(0)));
        Duration lookup = config.expander().map(ExpanderConfig::lookupTimeout).orElse(ExpanderConfig.DEFAULT_LOOKUP_TIMEOUT);
        return new BestOptionsService(images, pullSecrets, groups, lookup, metrics, calls);
    }

    /** The answer to one call, from the request's bytes; a message that does not parse fails with {@link InvalidExpanderRequestException}. */
    public CompletionStage<BestOptionsResponse> bestOptions(byte[] requestBytes) {
        long started = System.nanoTime();
        BestOptionsRequest request;
        try {
            request = BestOptionsRequest.parseFrom(requestBytes);
        } catch (InvalidProtocolBufferException e) {
            record("invalid", 0, 0, started, "request does not parse: " + e.getMessage());
            return CompletableFuture.failedFuture(new InvalidExpanderRequestException("BestOptionsRequest does not parse: "
                    + e.getMessage(), e));
        }
        List<CompletableFuture<ScaleUpOption>> decoded = new ArrayList<>();
        try {
            for (Option option : request.getOptionsList()) {
                decoded.add(decode(option, templateOf(request, option.getNodeGroupId())));
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // KubeTranslationException for a bad quantity or taint; anything else is a bug, but CA still gets its options
            record("invalid", request.getOptionsCount(), request.getOptionsCount(), started, e.toString());
            return CompletableFuture.completedFuture(asTheyCame(request));
        }
        return CompletableFuture.allOf(decoded.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Ranking ranking = OptionRanking.rank(decoded.stream().map(CompletableFuture::join).toList());
            ranking.dropped().forEach(d -> metrics.expanderDrop(d.reason().label()));
            String outcome = ranking.fellBack() ? "fallback" : "ranked";
            List<String> chosen = ranking.chosen().stream().map(ScaleUpOption::nodeGroupId).toList();
            record(outcome, request.getOptionsCount(), chosen.size(), started, "chose " + chosen
                    + (ranking.dropped().isEmpty() ? "" : "; left out " + describe(ranking.dropped())));
            BestOptionsResponse.Builder response = BestOptionsResponse.newBuilder();
            for (String id : chosen) {
                request.getOptionsList().stream().filter(o -> o.getNodeGroupId().equals(id)).findFirst()
                        .ifPresent(o -> response.addOptions(echo(o)));
            }
            return response.build();
        }).exceptionally(e -> {
            // nothing above should throw; if it does, CA gets its own options back rather than an error
            LOG.warn("expander: could not rank the options, answering with them as they came", e);
            record("error", request.getOptionsCount(), request.getOptionsCount(), started, e.toString());
            return asTheyCame(request);
        });
    }

    private CompletableFuture<ScaleUpOption> decode(Option option, NodeTemplate template)
            throws InvalidProtocolBufferException {
        List<CompletableFuture<PendingPod>> pods = new ArrayList<>();
        for (Pod pod : pods(option)) {
            pods.add(withImages(pod, KubePods.toPendingPod(pod)));
        }
        NodeGroup configured = groups.get(option.getNodeGroupId());
        if (configured == null && template != null) {
            configured = membership.groupOf(template.labels()).map(groups::get).orElse(null);
        }
        NodeGroup group = configured;
        return CompletableFuture.allOf(pods.toArray(CompletableFuture[]::new)).thenApply(v -> new ScaleUpOption(
                option.getNodeGroupId(), option.getNodeCount(), pods.stream().map(CompletableFuture::join).toList(),
                template, group));
    }

    /**
     * The option's pods: from {@code podBytes} (field 5, written from Kubernetes 1.35 on), else from the
     * older {@code pod} (field 4). Some CA builds used field 5 for similar node group ids (strings): when
     * field 5 does not read as pods and field 4 is there, field 4 is what CA meant.
     */
    private static List<Pod> pods(Option option) throws InvalidProtocolBufferException {
        if (option.getPodBytesCount() > 0) {
            try {
                return parse(option.getPodBytesList());
            } catch (InvalidProtocolBufferException e) {
                if (option.getPodCount() == 0) {
                    throw e;
                }
            }
        }
        return parse(option.getPodList());
    }

    private static List<Pod> parse(List<ByteString> encoded) throws InvalidProtocolBufferException {
        List<Pod> pods = new ArrayList<>(encoded.size());
        for (ByteString bytes : encoded) {
            io.archscaler.expander.kube.Pod pod = io.archscaler.expander.kube.Pod.parseFrom(bytes);
            // a pod CA schedules always has a container; bytes that parse to none were something else
            if (pod.getSpec().getContainersCount() == 0) {
                throw new InvalidProtocolBufferException("not a pod: no containers");
            }
            pods.add(KubeProtoObjects.pod(pod));
        }
        return pods;
    }

    /** The pod with its images' architectures, or as it is (unknown images) when the lookups take longer than allowed. */
    private CompletableFuture<PendingPod> withImages(Pod pod, PendingPod pending) {
        List<String> secrets = pod.getSpec().getImagePullSecrets().stream().map(LocalObjectReference::getName)
                .filter(Objects::nonNull).toList();
        // started off the caller's thread (the event loop): the bound below holds even if a lookup blocks
        return CompletableFuture.supplyAsync(() -> pullSecrets.credentials(pending.namespace(), secrets), lookupStarter)
                .thenCompose(credentials -> credentials)
                .thenCompose(credentials -> images.lookUp(pod, credentials))
                .thenApply((PodImages found) -> pending.withImageArchs(found.archs()))
                .toCompletableFuture()
                .exceptionally(e -> pending)
                .completeOnTimeout(pending, lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** CA's template node of the group (the bytes field from Kubernetes 1.35 on, else the older message field), or null. */
    private static NodeTemplate templateOf(BestOptionsRequest request, String nodeGroupId) throws InvalidProtocolBufferException {
        ByteString bytes = request.getNodeBytesMapOrDefault(nodeGroupId, request.getNodeMapOrDefault(nodeGroupId, null));
        if (bytes == null) {
            return null;
        }
        Node node = KubeProtoObjects.node(io.archscaler.expander.kube.Node.parseFrom(bytes));
        if (node.getMetadata().getName() == null) {
            node.getMetadata().setName("template-node-for-" + nodeGroupId);
        }
        io.archscaler.scaler.model.Node model = KubeNodes.toNode(node, NodeGroupMembership.of(List.of()), Resources.ZERO);
        return new NodeTemplate(model.allocatable(), model.labels(), model.taints());
    }

    private static BestOptionsResponse asTheyCame(BestOptionsRequest request) {
        BestOptionsResponse.Builder response = BestOptionsResponse.newBuilder();
        request.getOptionsList().forEach(o -> response.addOptions(echo(o)));
        return response.build();
    }

    /** The option without its pods: CA maps an answer back by {@code nodeGroupId} alone. */
    private static Option echo(Option o) {
        return Option.newBuilder().setNodeGroupId(o.getNodeGroupId()).setNodeCount(o.getNodeCount())
                .setDebug(o.getDebug()).build();
    }

    private void record(String outcome, int in, int out, long startedNanos, String what) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        metrics.expanderCall(outcome, in, out, elapsed);
        String line = String.format("%s: %d options in, %d out in %d ms: %s", outcome, in, out, elapsed.toMillis(), what);
        calls.add(line);
        if (outcome.equals("ranked") || outcome.equals("fallback")) {
            LOG.info("expander {}", line);
        } else {
            LOG.warn("expander {}", line);
        }
    }

    private static String describe(List<Drop> dropped) {
        return dropped.stream().map(d -> d.nodeGroupId() + " (" + d.reason().label() + ": " + d.detail() + ")")
                .collect(Collectors.joining(", "));
    }
}
