package io.archscaler.cli;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Fallback;
import io.archscaler.scaler.model.FallbackCause;
import io.archscaler.scaler.model.ScaleDown;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanOutputTest {
    private final ScalePlan plan = new ScalePlan(
            List.of(new ScaleUp("arm-general", Arch.ARM64, 2, 5, List.of("default/web-1", "default/web-2",
                            "default/web-3", "default/web-4", "default/web-5"), null),
                    new ScaleUp("x86-general", Arch.AMD64, 1, 2, List.of("default/api-1"),
                            new Fallback(FallbackCause.MAX_SIZE, "arm-general is at maxSize 5"))),
            List.of(new Unschedulable("default/legacy-0", "no node group fits: needs 64 cpu")),
            List.of(new ScaleDown("x86-general", "ip-10-0-1-7", "utilization 12% below 50% for 10m")),
            List.of("default/small-1", "default/small-2"));

    @Test
    void jsonHasTheDesignsShapeAndFallbackReasonOnlyWhenSet() {
        assertThat(PlanOutput.json(plan)).isEqualTo(new JsonObject("""
                {"scaleUps": [
                   {"nodeGroup": "arm-general", "arch": "arm64", "capacityType": "on-demand", "from": 2, "to": 5,
                    "pods": ["default/web-1", "default/web-2", "default/web-3", "default/web-4", "default/web-5"]},
                   {"nodeGroup": "x86-general", "arch": "amd64", "capacityType": "on-demand", "from": 1, "to": 2,
                    "pods": ["default/api-1"],
                    "fallbackReason": "arm-general is at maxSize 5"}],
                 "unschedulable": [{"pod": "default/legacy-0", "reason": "no node group fits: needs 64 cpu"}],
                 "scaleDowns": [{"nodeGroup": "x86-general", "node": "ip-10-0-1-7",
                                 "reason": "utilization 12% below 50% for 10m"}],
                 "restores": [], "notRestored": []}"""));
    }

    @Test
    void tableAlignsColumnsShortensLongPodListsAndEndsWithASummary() {
        assertThat(PlanOutput.table(plan)).isEqualTo("""
                GROUP        ARCH   CAPACITY   FROM  TO  PODS
                arm-general  arm64  on-demand  2     5   default/web-1, default/web-2, default/web-3 (+2 more)
                x86-general  amd64  on-demand  1     2   default/api-1
                x86-general is a fallback: arm-general is at maxSize 5

                UNSCHEDULABLE POD  REASON
                default/legacy-0   no node group fits: needs 64 cpu

                SCALE-DOWN GROUP  NODE         REASON
                x86-general       ip-10-0-1-7  utilization 12% below 50% for 10m

                Plan: 2 scale-ups (+4 nodes), 1 unschedulable pod, 1 scale-down, 2 pending pods fit existing capacity.
                """);
    }

    @Test
    void emptyPlanIsJustTheSummary() {
        assertThat(PlanOutput.table(ScalePlan.EMPTY))
                .isEqualTo("Plan: 0 scale-ups (+0 nodes), 0 unschedulable pods, 0 scale-downs, 0 pending pods fit"
                        + " existing capacity.\n");
        assertThat(PlanOutput.json(ScalePlan.EMPTY).encode())
                .isEqualTo("{\"scaleUps\":[],\"unschedulable\":[],\"scaleDowns\":[],\"restores\":[],\"notRestored\":[]}");
    }
}
