package io.archscaler.hpa;

import io.archscaler.events.MetricSample;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.Planner;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Headroom pods are planned like pending pods, arch rules included. */
class HeadroomPlanningTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void headroomPodsGetNodesOfTheArchTheirTemplateAllows() {
        HpaHeadroom headroom = new HpaHeadroom("prod", Duration.ofMinutes(5), KubePods::toPendingPod,
                Clock.fixed(T0, ZoneOffset.UTC));
        // checkout runs on arm64 only; legacy runs on amd64 only
        headroom.onObject(HpaObjects.hpa(4), false);
        headroom.onObject(HpaObjects.deployment(4), false);
        headroom.onObject(new HorizontalPodAutoscalerBuilder(HpaObjects.hpa(2)).editMetadata().withName("legacy").endMetadata()
                .editSpec().editScaleTargetRef().withName("legacy").endScaleTargetRef().endSpec().build(), false);
        Deployment legacy = new DeploymentBuilder(HpaObjects.deployment(2)).editMetadata().withName("legacy").endMetadata()
                .editSpec().editTemplate().editSpec().withNodeSelector(Map.of("kubernetes.io/arch", "amd64"))
                .endSpec().endTemplate().endSpec().build();
        headroom.onObject(legacy, false);
        headroom.onSample(new MetricSample("prod", "shop", "checkout", "http_requests_per_second", 200, T0));
        headroom.onSample(new MetricSample("prod", "shop", "legacy", "http_requests_per_second", 200, T0));

        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(group("arm", Arch.ARM64), group("x86", Arch.AMD64)),
                List.of(), headroom.headroomPods(), List.of(), Map.of(), Set.of(), Set.of(), ClusterLimits.NONE);
        ScalePlan plan = new Planner().plan(snapshot);

        assertThat(plan.unschedulable()).isEmpty();
        assertThat(plan.scaleUps()).extracting(ScaleUp::nodeGroup, ScaleUp::from, ScaleUp::to).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("arm", 0, 1), org.assertj.core.groups.Tuple.tuple("x86", 0, 1));
        ScaleUp arm = plan.scaleUps().stream().filter(u -> u.nodeGroup().equals("arm")).findFirst().orElseThrow();
        assertThat(arm.pods()).containsExactlyInAnyOrder("shop/checkout-headroom-0", "shop/checkout-headroom-1",
                "shop/checkout-headroom-2", "shop/checkout-headroom-3");
        ScaleUp x86 = plan.scaleUps().stream().filter(u -> u.nodeGroup().equals("x86")).findFirst().orElseThrow();
        assertThat(x86.pods()).containsExactlyInAnyOrder("shop/legacy-headroom-0", "shop/legacy-headroom-1");
    }

    private static NodeGroup group(String name, Arch arch) {
        Resources allocatable = Resources.parse("test", Map.of("cpu", "2", "memory", "8Gi", "pods", "29"));
        return new NodeGroup(name, "simulated", arch, 0, 10, 0, NodeGroup.defaultWeight(arch), null, 0.1,
                NodeTemplate.forGroup(name, arch, null, allocatable, Map.of(), List.of()));
    }
}
