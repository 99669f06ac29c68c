package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Totals by namespace and for the cluster, the blocked images and the notes. Every pod here asks
 * 500m and 1Gi: $0.018/h on x86-general and $0.0153/h on arm-general, so a pod moved saves
 * 0.0027 × 730 = $1.971 a month.
 */
class ReadinessPlannerTest {
    private static final double POD_SAVING = 0.0027 * 730;
    private static final List<NodeGroup> GROUPS = List.of(
            group("arm-general", Arch.ARM64).capacity("2", "8Gi", 29).price(0.0816).build(),
            group("x86-general", Arch.AMD64).capacity("2", "8Gi", 29).price(0.096).build());
    private static final ImageSupport MULTI = ImageSupport.known("acme/web:2", List.of("linux/amd64", "linux/arm64"),
            Set.of(Arch.AMD64, Arch.ARM64));
    private static final ImageSupport LEGACY = ImageSupport.known("acme/legacy:1.2", List.of("linux/amd64"), Set.of(Arch.AMD64));
    private static final ImageSupport UNKNOWN = ImageSupport.unknown("acme/tool:3", "not found");

    private static Workload workload(String ns, String kind, String name, List<ImageSupport> images, int onAmd64, int onArm64) {
        return new Workload(new WorkloadId(ns, kind, name), pod(name).namespace(ns).cpu("500m").memory("1Gi").build(),
                images, List.of(new PodPlacement("x86-general", Arch.AMD64, onAmd64),
                new PodPlacement("arm-general", Arch.ARM64, onArm64)));
    }

    private final List<Workload> workloads = List.of(
            workload("shop", "Deployment", "web", List.of(MULTI), 3, 1),
            workload("shop", "Deployment", "legacy", List.of(LEGACY), 2, 0),
            workload("shop", "StatefulSet", "cache", List.of(UNKNOWN), 1, 0),
            workload("batch", "Job", "report", List.of(LEGACY, MULTI), 1, 0),
            workload("kube-system", "DaemonSet", "node-agent", List.of(MULTI), 2, 2));

    @Test
    void totalsByNamespaceAndForTheCluster() {
        ReadinessReport report = ReadinessPlanner.report(workloads, GROUPS);

        Totals shop = report.byNamespace().get("shop");
        assertThat(shop.count(Verdict.READY)).isEqualTo(1);
        assertThat(shop.count(Verdict.BLOCKED)).isEqualTo(1);
        assertThat(shop.count(Verdict.UNKNOWN)).isEqualTo(1);
        assertThat(shop.movable()).isEqualTo(Resources.of(1500, 3L << 30));
        assertThat(shop.saving()).isCloseTo(3 * POD_SAVING, within(1e-9));
        assertThat(shop.forgone()).isCloseTo(2 * POD_SAVING, within(1e-9));
        assertThat(shop.atStake()).isCloseTo(POD_SAVING, within(1e-9));

        Totals cluster = report.cluster();
        assertThat(cluster.count(Verdict.READY)).isEqualTo(2);
        assertThat(cluster.count(Verdict.BLOCKED)).isEqualTo(2);
        assertThat(cluster.count(Verdict.UNKNOWN)).isEqualTo(1);
        assertThat(cluster.movable()).isEqualTo(Resources.of(2500, 5L << 30));
        assertThat(cluster.saving()).isCloseTo(5 * POD_SAVING, within(1e-9));
        assertThat(cluster.forgone()).isCloseTo(3 * POD_SAVING, within(1e-9));
        assertThat(report.byNamespace()).containsOnlyKeys("batch", "kube-system", "shop");
    }

    @Test
    void workloadsAreOrderedByNamespaceKindAndName() {
        ReadinessReport report = ReadinessPlanner.report(workloads, GROUPS);

        assertThat(report.workloads()).extracting(r -> r.id().toString()).containsExactly(
                "Job batch/report", "DaemonSet kube-system/node-agent", "Deployment shop/legacy", "Deployment shop/web",
                "StatefulSet shop/cache");
        WorkloadReport web = report.workloads().get(3);
        assertThat(web.total()).isEqualTo(Resources.of(2000, 4L << 30));
        assertThat(web.moving()).isEqualTo(Resources.of(1500, 3L << 30));
    }

    @Test
    void blockedImagesNameTheirWorkloadsAndTheSavingTheyForgo() {
        ReadinessReport report = ReadinessPlanner.report(workloads, GROUPS);

        assertThat(report.blockedImages()).hasSize(1);
        BlockedImage legacy = report.blockedImages().get(0);
        assertThat(legacy.image()).isEqualTo("acme/legacy:1.2");
        assertThat(legacy.platforms()).containsExactly("linux/amd64");
        assertThat(legacy.workloads()).extracting(WorkloadId::toString)
                .containsExactly("Job batch/report", "Deployment shop/legacy");
        assertThat(legacy.forgonePerMonth()).isCloseTo(3 * POD_SAVING, within(1e-9));
    }

    @Test
    void notesStateThePricingRuleAndTheDaemonSetAssumptionOnlyWhenThereIsOne() {
        ReadinessReport withDaemonSet = ReadinessPlanner.report(workloads, GROUPS);
        ReadinessReport without = ReadinessPlanner.report(workloads.subList(0, 4), GROUPS);

        assertThat(withDaemonSet.notes().get(0)).contains("split 50% to its vCPUs and 50% to its GiB of memory")
                .contains("730 hours");
        assertThat(withDaemonSet.notes()).anyMatch(n -> n.startsWith("DaemonSets run one pod per node"));
        assertThat(without.notes()).noneMatch(n -> n.startsWith("DaemonSets"));
    }

    @Test
    void theSameInputInAnyOrderGivesTheSameReport() {
        List<Workload> reversed = new java.util.ArrayList<>(workloads);
        java.util.Collections.reverse(reversed);

        assertThat(ReadinessPlanner.report(reversed, GROUPS)).isEqualTo(ReadinessPlanner.report(workloads, GROUPS));
    }
}
