package io.archscaler.config;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spot keys: a group's {@code capacityType} and {@code scaleUp.offeringUnavailableFor}. */
class SpotConfigTest {
    private final ConfigLoader loader = new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty);

    @Test
    void spotGroupsGetTheSpotDefaultWeightsAndTheCapacityTypeLabels() {
        ArchscalerConfig config = loader.parse("""
                cluster: dev
                nodeGroups:
                  - {name: arm-spot, provider: simulated, instanceType: m7g.large, maxSize: 10, capacityType: spot}
                  - {name: x86-spot, provider: simulated, instanceType: m5.large, maxSize: 10, capacityType: spot}
                  - {name: arm-od, provider: simulated, instanceType: m7g.large, maxSize: 10, capacityType: on-demand}
                  - {name: x86, provider: simulated, instanceType: m5.large, maxSize: 10}
                """, "config.yaml");

        assertThat(config.nodeGroups()).extracting(NodeGroupConfig::weight).containsExactly(200, 150, 100, 10);
        assertThat(config.nodeGroups()).extracting(NodeGroupConfig::capacityType).containsExactly(
                CapacityType.SPOT, CapacityType.SPOT, CapacityType.ON_DEMAND, CapacityType.ON_DEMAND);
        NodeGroup spot = config.nodeGroups().get(0).toNodeGroup(0);
        assertThat(spot.capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(spot.template().labels()).containsEntry("karpenter.sh/capacity-type", "spot")
                .containsEntry("eks.amazonaws.com/capacityType", "SPOT");
        assertThat(config.nodeGroups().get(2).toNodeGroup(0).template().labels())
                .containsEntry("karpenter.sh/capacity-type", "on-demand");
        assertThat(config.nodeGroups().get(3).toNodeGroup(0).template().labels())
                .as("a group that does not give capacityType promises no label").doesNotContainKey("karpenter.sh/capacity-type");
    }

    @Test
    void offeringUnavailableForDefaultsToThreeMinutesAndIsRead() {
        ArchscalerConfig defaults = loader.parse("""
                cluster: dev
                nodeGroups:
                  - {name: arm, provider: simulated, instanceType: m7g.large, maxSize: 10}
                """, "config.yaml");
        ArchscalerConfig given = loader.parse("""
                cluster: dev
                nodeGroups:
                  - {name: arm, provider: simulated, instanceType: m7g.large, maxSize: 10}
                scaleUp: {offeringUnavailableFor: 90s}
                """, "config.yaml");

        assertThat(defaults.scaleUp().offeringUnavailableFor()).isEqualTo(Duration.ofMinutes(3));
        assertThat(given.scaleUp().offeringUnavailableFor()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anUnknownCapacityTypeIsRefusedWithItsLineAndKey() {
        assertThatThrownBy(() -> loader.parse("""
                cluster: dev
                nodeGroups:
                  - name: arm
                    provider: simulated
                    instanceType: m7g.large
                    maxSize: 10
                    capacityType: preemptible
                """, "config.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml:7: nodeGroups[0].capacityType: unknown value \"preemptible\" (expected one of:"
                        + " spot, on-demand)");
    }

    @Test
    void aZeroOfferingTimeIsRefusedWithItsLineAndKey() {
        assertThatThrownBy(() -> loader.parse("""
                cluster: dev
                nodeGroups:
                  - {name: arm, provider: simulated, instanceType: m7g.large, maxSize: 10}
                scaleUp:
                  offeringUnavailableFor: 0s
                """, "config.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.yaml:5: scaleUp.offeringUnavailableFor:");
    }
}
