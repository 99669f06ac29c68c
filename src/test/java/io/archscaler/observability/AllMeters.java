package io.archscaler.observability;

import io.archscaler.scaler.CostModel;
import io.archscaler.scaler.model.Arch;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.metrics.NodeGroupSizes;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records once through every method of {@link ArchscalerMetrics}, so a scrape shows every
 * archscaler_* family the application can export (meters appear on first use).
 */
final class AllMeters {
    /** One metric family of a scrape: its type and the labels its samples carry. */
    record Family(String name, String type, Set<String> labels) {
    }

    private AllMeters() {
    }

    static ArchscalerMetrics exercised() {
        ArchscalerMetrics m = new ArchscalerMetrics("prod");
        m.pendingPods(Map.of("flexible", 2, "amd64-only", 1, "arm64-only", 0, "none", 0));
        m.unschedulablePods(1);
        m.nodeGroup("arm", "arm64", "spot", new NodeGroupSizes(0, 10, 3, 2, 1), false, false);
        m.offeringsUnavailable("arm64", "spot", 1);
        m.spotNodeRatio("arm64", 0.5);
        m.scaleUp("arm", "arm64", "spot", "pending_pods", 2);
        m.failedScaleUp("arm", "arm64", "spot", "InsufficientCapacity");
        m.fallbacks("x86", "amd64", "on-demand", "backoff", 3);
        m.scaleDown("x86", "amd64", "underutilized");
        m.unneededNodes("x86", "amd64", 1);
        m.unremovableNode("pdb");
        m.drainDuration("x86", "amd64", Duration.ofSeconds(30));
        m.restore("restore", "moved");
        m.restoreSavingPerHour(0.05);
        m.interruption("spot_interruption", "replaced");
        m.interruptionHandled("spot_interruption", Duration.ofSeconds(40));
        m.expanderCall("ranked", 2, 1, Duration.ofMillis(12));
        m.expanderDrop("image_arch");
        m.planned(Duration.ofMillis(12), 5);
        m.pendingToScaleUp(Duration.ofSeconds(2));
        m.cloudApiCall("eks", "nodeGroups", "", "success", Duration.ofMillis(50));
        m.cloudApiCall("eks", "increaseSize", "arm", "success", Duration.ofMillis(50));
        m.imageLookup("resolved", Duration.ofMillis(200));
        m.misplacedPod("exec-format-error");
        m.webhookReview("patched", Duration.ofMillis(10));
        m.webhookSpotRatio("kept_off");
        m.cost(Map.of("arm64", 2, "amd64", 1), new CostModel.Cost(Map.of(Arch.ARM64, 0.16, Arch.AMD64, 0.10), 0.30));
        m.kafkaConsumed("archscaler.pod-events");
        m.kubeEvent("recorded");
        m.kafkaDeadLettered("archscaler.pod-events", "invalid-json");
        m.kafkaHandled("archscaler.pod-events", Duration.ofMillis(3));
        m.eventReceived("informer", "PodPending");
        m.eventIgnored("duplicate");
        m.leader(true);
        m.hpaPrediction("shop", "checkout", 12);
        m.headroomNodes("arm64", 1);
        m.hpaPredictionError("shop", "checkout", 1);
        m.fleetOwnedClusters(3);
        m.fleetRebalance("assigned");
        m.fleetFencedScaleUp();
        return m;
    }

    /** The families of a Prometheus text exposition whose names start with {@code prefix}, by name. */
    static Map<String, Family> families(String scrape, String prefix) {
        Map<String, String> types = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE " + prefix)) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            }
        }
        Map<String, Family> out = new TreeMap<>();
        types.forEach((name, type) -> out.put(name, new Family(name, type, labels(scrape, name, type))));
        return out;
    }

    private static Set<String> labels(String scrape, String family, String type) {
        Set<String> labels = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            String name = brace < 0 ? line.split(" ")[0] : line.substring(0, brace);
            if (!sampleOf(name, family, type) || brace < 0) {
                continue;
            }
            for (String pair : line.substring(brace + 1, line.lastIndexOf('}')).split(",(?=[a-z_]+=\")")) {
                String label = pair.substring(0, pair.indexOf('='));
                if (!label.equals("le") && !label.equals("quantile")) {
                    labels.add(label);
                }
            }
        }
        return labels;
    }

    private static boolean sampleOf(String sample, String family, String type) {
        if (sample.equals(family)) {
            return true;
        }
        return (type.equals("histogram") || type.equals("summary"))
                && (sample.equals(family + "_bucket") || sample.equals(family + "_count") || sample.equals(family + "_sum"));
    }

    /** Every sample name a family shows in a scrape ({@code _bucket}, {@code _count}, {@code _sum} for histograms). */
    static Set<String> sampleNames(Family f) {
        Set<String> out = new TreeSet<>(Set.of(f.name()));
        if (f.type().equals("histogram") || f.type().equals("summary")) {
            out.add(f.name() + "_count");
            out.add(f.name() + "_sum");
            if (f.type().equals("histogram")) {
                out.add(f.name() + "_bucket");
            }
        }
        return out;
    }
}
