package io.archscaler.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed decision keeps the text the decisions topic, {@code /status} and the logs have always carried. */
class DecisionTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aFallbackIsTypedAndWrittenWithItsPrefix() {
        Decision d = Decision.of(Decision.SCALE_UP, NOW, "x86", "amd64").withSizes(1, 3)
                .withPods(List.of("default/web-1")).withWhy(Decision.Why.fallback("arm: circuit open"));

        assertThat(d.isFallback()).isTrue();
        assertThat(d.isAheadOfHpa()).isFalse();
        assertThat(d.toJson("prod").encode()).isEqualTo("{\"cluster\":\"prod\",\"time\":\"2026-11-22T10:00:00Z\","
                + "\"action\":\"scale-up\",\"nodeGroup\":\"x86\",\"arch\":\"amd64\",\"from\":1,\"to\":3,"
                + "\"pods\":[\"default/web-1\"],\"node\":null,\"reason\":\"fallback: arm: circuit open\","
                + "\"outcome\":\"requested\",\"error\":null}");
        assertThat(d.describe()).isEqualTo("scale-up x86 1->3 for 1 pod (fallback: arm: circuit open)");
    }

    @Test
    void headroomAheadOfAnHpaIsTypedAndWrittenWithItsPrefix() {
        Decision d = Decision.of(Decision.SCALE_UP, NOW, "arm", "arm64").withSizes(0, 1)
                .withWhy(Decision.Why.aheadOfHpa("2 headroom pod(s) in the plan"));

        assertThat(d.isAheadOfHpa()).isTrue();
        assertThat(d.isFallback()).isFalse();
        assertThat(d.reason()).isEqualTo("ahead of HPA: 2 headroom pod(s) in the plan");
    }

    @Test
    void aMoveToArm64KeepsEveryFieldAndSaysSoInItsReason() {
        Decision removed = Decision.of(Decision.SCALE_DOWN, NOW, "x86", "amd64").withSizes(3, 2).withNode("x86-1")
                .withWhy(Decision.Why.restore("node removed, its pods moved to arm64 (arm 0->1)")).succeeded();
        Decision replaced = Decision.of(Decision.SCALE_UP, NOW, "arm", "arm64").withSizes(0, 1)
                .withWhy(Decision.Why.replace("pods of x86-2 to arm64"));

        assertThat(removed.isMoveToArm64()).isTrue();
        assertThat(replaced.isMoveToArm64()).isTrue();
        assertThat(removed.isFallback()).isFalse();
        assertThat(removed.toJson("prod").encode()).isEqualTo("{\"cluster\":\"prod\",\"time\":\"2026-11-22T10:00:00Z\","
                + "\"action\":\"scale-down\",\"nodeGroup\":\"x86\",\"arch\":\"amd64\",\"from\":null,\"to\":null,"
                + "\"pods\":null,\"node\":\"x86-1\",\"reason\":\"restore: node removed, its pods moved to arm64"
                + " (arm 0->1)\",\"outcome\":\"succeeded\",\"error\":null}");
        assertThat(replaced.reason()).isEqualTo("replace: pods of x86-2 to arm64");
    }

    @Test
    void aFailedScaleDownHasNoSizesOrPodsInItsJson() {
        Decision d = Decision.of(Decision.SCALE_DOWN, NOW, "arm", "arm64").withSizes(4, 4).withNode("arm-1")
                .withWhy(Decision.Why.of("empty")).failed("Throttling: slow down");

        assertThat(d.outcome()).isEqualTo(Decision.Outcome.FAILED);
        assertThat(d.isFallback()).isFalse();
        assertThat(d.toJson("prod").encode()).isEqualTo("{\"cluster\":\"prod\",\"time\":\"2026-11-22T10:00:00Z\","
                + "\"action\":\"scale-down\",\"nodeGroup\":\"arm\",\"arch\":\"arm64\",\"from\":null,\"to\":null,"
                + "\"pods\":null,\"node\":\"arm-1\",\"reason\":\"empty\",\"outcome\":\"failed\","
                + "\"error\":\"Throttling: slow down\"}");
        assertThat(d.describe()).isEqualTo("scale-down arm arm-1 4->4 (empty): FAILED Throttling: slow down");
    }

    @Test
    void noReasonIsNullInTheJson() {
        Decision d = Decision.of(Decision.SCALE_UP, NOW, "arm", "arm64").withSizes(0, 2).succeeded();

        assertThat(d.reason()).isNull();
        assertThat(d.toJson("prod").getValue("reason")).isNull();
        assertThat(d.toJson("prod").getString("outcome")).isEqualTo("succeeded");
    }
}
