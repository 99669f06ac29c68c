package io.archscaler.scaler.state;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Offering;
import io.archscaler.scaler.model.Resources;
import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.model.CapacityType.ON_DEMAND;
import static io.archscaler.scaler.model.CapacityType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which offerings a mark covers, and how long, on the injected clock. */
class OfferingsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Offerings offerings = new Offerings(clock, Duration.ofMinutes(3));

    private static Offering offering(String type, String zone, CapacityType capacity) {
        return new Offering(type, zone, capacity, Arch.ARM64);
    }

    static Stream<Arguments> coverage() {
        return Stream.of(
                Arguments.of("the same offering", offering("m7g.large", "us-west-2a", SPOT),
                        offering("m7g.large", "us-west-2a", SPOT), true),
                Arguments.of("every zone covers one zone", offering("m7g.large", null, SPOT),
                        offering("m7g.large", "us-west-2b", SPOT), true),
                Arguments.of("one zone does not cover every zone", offering("m7g.large", "us-west-2a", SPOT),
                        offering("m7g.large", null, SPOT), false),
                Arguments.of("one zone does not cover another", offering("m7g.large", "us-west-2a", SPOT),
                        offering("m7g.large", "us-west-2b", SPOT), false),
                Arguments.of("spot does not cover on-demand", offering("m7g.large", null, SPOT),
                        offering("m7g.large", null, ON_DEMAND), false),
                Arguments.of("another instance type is not covered", offering("m7g.large", null, SPOT),
                        offering("m7g.xlarge", null, SPOT), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coverage")
    void aMarkCoversTheSameTypeAndCapacityTypeInItsZones(String name, Offering marked, Offering asked,
                                                          boolean unavailable) {
        offerings.unavailable(marked, "InsufficientInstanceCapacity");
        assertThat(offerings.isUnavailable(asked)).isEqualTo(unavailable);
    }

    @Test
    void aMarkExpiresAfterTheConfiguredTimeAndANewErrorExtendsIt() {
        Offering o = offering("m7g.large", null, SPOT);
        offerings.unavailable(o, "InsufficientInstanceCapacity");
        clock.advance(Duration.ofMinutes(2));
        offerings.unavailable(o, "UnfulfillableCapacity");
        clock.advance(Duration.ofMinutes(2));
        assertThat(offerings.isUnavailable(o)).isTrue();
        assertThat(offerings.marks()).containsOnlyKeys(o);
        assertThat(offerings.marks().get(o).reason()).isEqualTo("UnfulfillableCapacity");
        clock.advance(Duration.ofMinutes(1).minusSeconds(1));
        assertThat(offerings.isUnavailable(o)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(offerings.isUnavailable(o)).isFalse();
        assertThat(offerings.marks()).isEmpty();
    }

    @Test
    void aGroupIsOutWhileItsOwnOfferingIsCovered() {
        NodeGroup spotA = group("spot-a", "m7g.large", "us-west-2a", SPOT);
        NodeGroup spotAnyZone = group("spot-any", "m7g.large", null, SPOT);
        NodeGroup onDemand = group("od", "m7g.large", null, ON_DEMAND);
        offerings.unavailable(offering("m7g.large", "us-west-2a", SPOT), "InsufficientInstanceCapacity");

        assertThat(offerings.unavailableGroups(List.of(spotA, spotAnyZone, onDemand))).containsExactly("spot-a");
        clock.advance(Duration.ofMinutes(3));
        assertThat(offerings.unavailableGroups(List.of(spotA, spotAnyZone, onDemand))).isEmpty();
    }

    @Test
    void countsListEveryArchAndCapacityTypeWithZeros() {
        offerings.unavailable(offering("m7g.large", "us-west-2a", SPOT), "InsufficientInstanceCapacity");
        offerings.unavailable(offering("m7g.large", "us-west-2b", SPOT), "InsufficientInstanceCapacity");
        offerings.unavailable(new Offering("m5.large", null, ON_DEMAND, Arch.AMD64), "InsufficientInstanceCapacity");

        assertThat(offerings.counts()).containsExactlyInAnyOrder(
                new Offerings.Count(Arch.ARM64, SPOT, 2), new Offerings.Count(Arch.ARM64, ON_DEMAND, 0),
                new Offerings.Count(Arch.AMD64, SPOT, 0), new Offerings.Count(Arch.AMD64, ON_DEMAND, 1));
    }

    @Test
    void aGroupWithoutAnInstanceTypeIsItsOwnOffering() {
        NodeGroup machines = group("metal", null, null, ON_DEMAND);
        assertThat(Offering.of(machines)).isEqualTo(new Offering("metal", null, ON_DEMAND, Arch.ARM64));
    }

    @Test
    void aZeroTimeIsRefused() {
        assertThatThrownBy(() -> new Offerings(clock, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private static NodeGroup group(String name, String type, String zone, CapacityType capacity) {
        NodeTemplate template = NodeTemplate.forGroup(name, Arch.ARM64, type, Resources.ZERO,
                zone == null ? Map.of() : Map.of(Offering.ZONE_LABEL, zone), List.of()).withCapacityType(capacity);
        return new NodeGroup(name, "simulated", Arch.ARM64, 0, 10, 0, 100, type, 0.1, template);
    }
}
