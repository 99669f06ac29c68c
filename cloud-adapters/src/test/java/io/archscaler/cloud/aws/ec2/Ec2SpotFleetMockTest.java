package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.LaunchFailedException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.TestCatalog;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.ec2Error;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.createFleetWithErrors;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstances;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeSpotPriceHistory;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.fleetError;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.instance;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.spotPrice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spot groups of the EC2 Fleet provider against WireMock modelling EC2: the exact CreateFleet and
 * DescribeSpotPriceHistory requests, and an instant fleet's partial success (HTTP 200 with an
 * {@code errorSet} and fewer instances than asked).
 */
class Ec2SpotFleetMockTest {
    private static final String I1 = "i-0aaa1111bbbb2222c";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();
    private final MutableClock clock = new MutableClock(NOW);

    private Ec2FleetProvider provider() {
        FleetGroup spot = new FleetGroup("arm-spot", Arch.ARM64, 0, 10,
                FleetLaunchTemplate.byId("lt-0abc1234567890def", "3"),
                List.of("m7g.large", "c7g.large"), List.of("subnet-0a", "subnet-0b"), Map.of("workload", "batch"),
                List.of(), CapacityType.SPOT);
        SdkEc2Api ec2 = new SdkEc2Api(aws.clients().ec2());
        return new Ec2FleetProvider(new Ec2FleetConfig("prod", List.of(spot)), ec2, TestCatalog.lookup(),
                new SpotPrices(ec2, clock, Duration.ofMinutes(10)));
    }

    private void liveInstances(String... instances) {
        aws.server().stubFor(action("DescribeInstances").willReturn(xml(describeInstances(instances))));
    }

    @Test
    void aSpotGroupIsPricedAtItsFirstTypesLowestLatestZonePriceAndThePricesAreCached() {
        liveInstances(instance(I1, "running", "us-west-2a"));
        aws.server().stubFor(action("DescribeSpotPriceHistory").withFormParam("NextToken", absent())
                .willReturn(xml(describeSpotPriceHistory("spot-page-2",
                        spotPrice("m7g.large", "us-west-2a", "0.041200", "2026-12-01T08:00:00.000Z"),
                        spotPrice("m7g.large", "us-west-2a", "0.035100", "2026-12-01T09:30:00.000Z")))));
        aws.server().stubFor(action("DescribeSpotPriceHistory").withFormParam("NextToken", equalTo("spot-page-2"))
                .willReturn(xml(describeSpotPriceHistory(null,
                        spotPrice("m7g.large", "us-west-2b", "0.038900", "2026-12-01T09:00:00.000Z")))));

        NodeGroup g = provider().nodeGroups().toCompletableFuture().join().get(0);

        assertThat(g.capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(g.weight()).isEqualTo(200);
        // us-west-2a's latest (0.0351, not the older 0.0412) is below us-west-2b's 0.0389
        assertThat(g.pricePerHour()).isEqualTo(0.0351);
        assertThat(g.template().labels()).containsEntry("karpenter.sh/capacity-type", "spot")
                .containsEntry("eks.amazonaws.com/capacityType", "SPOT").containsEntry("workload", "batch");
        assertThat(aws.requests("DescribeSpotPriceHistory")).containsExactly(
                Map.of("Action", "DescribeSpotPriceHistory", "Version", "2016-11-15",
                        "InstanceType.1", "m7g.large", "ProductDescription.1", "Linux/UNIX",
                        "StartTime", "2026-12-01T10:00:00Z"),
                Map.of("Action", "DescribeSpotPriceHistory", "Version", "2016-11-15",
                        "InstanceType.1", "m7g.large", "ProductDescription.1", "Linux/UNIX",
                        "StartTime", "2026-12-01T10:00:00Z", "NextToken", "spot-page-2"));

        Ec2FleetProvider same = provider();
        clock.advance(Duration.ofMinutes(5));
        provider().nodeGroups().toCompletableFuture().join();
        assertThat(aws.requests("DescribeSpotPriceHistory")).as("a fresh provider asks again").hasSize(4);
        aws.server().resetRequests();
        same.nodeGroups().toCompletableFuture().join();
        clock.advance(Duration.ofMinutes(9));
        same.nodeGroups().toCompletableFuture().join();
        assertThat(aws.requests("DescribeSpotPriceHistory")).as("within 10 minutes the cache answers").hasSize(2);
        clock.advance(Duration.ofMinutes(2));
        same.nodeGroups().toCompletableFuture().join();
        assertThat(aws.requests("DescribeSpotPriceHistory")).as("after 10 minutes EC2 is asked again").hasSize(4);
    }

    @Test
    void withoutASpotPriceTheGroupKeepsItsOnDemandPrice() {
        liveInstances();
        aws.server().stubFor(action("DescribeSpotPriceHistory").willReturn(ec2Error(403, "UnauthorizedOperation",
                "You are not authorized to perform this operation.")));

        Ec2FleetProvider provider = provider();
        NodeGroup g = provider.nodeGroups().toCompletableFuture().join().get(0);

        assertThat(g.pricePerHour()).isEqualTo(0.0816);
        assertThat(g.capacityType()).isEqualTo(CapacityType.SPOT);
        clock.advance(Duration.ofMinutes(5));
        assertThat(provider.nodeGroups().toCompletableFuture().join().get(0).pricePerHour()).isEqualTo(0.0816);
        assertThat(aws.requests("DescribeSpotPriceHistory")).as("a refused call is not repeated within 10 minutes")
                .hasSize(1);
        clock.advance(Duration.ofMinutes(6));
        provider.nodeGroups().toCompletableFuture().join();
        assertThat(aws.requests("DescribeSpotPriceHistory")).hasSize(2);
    }

    @Test
    void aSpotScaleUpIsAnInstantPriceCapacityOptimizedSpotFleetOverEveryTypeAndSubnet() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(xml(createFleetWithErrors("spot", "m7g.large",
                new String[]{I1}))));

        provider().increaseSize("arm-spot", 1).toCompletableFuture().join();

        Map<String, String> expected = new TreeMap<>();
        expected.put("Action", "CreateFleet");
        expected.put("Version", "2016-11-15");
        expected.put("Type", "instant");
        expected.put("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId", "lt-0abc1234567890def");
        expected.put("LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "3");
        expected.put("LaunchTemplateConfigs.1.Overrides.1.InstanceType", "m7g.large");
        expected.put("LaunchTemplateConfigs.1.Overrides.1.SubnetId", "subnet-0a");
        expected.put("LaunchTemplateConfigs.1.Overrides.2.InstanceType", "m7g.large");
        expected.put("LaunchTemplateConfigs.1.Overrides.2.SubnetId", "subnet-0b");
        expected.put("LaunchTemplateConfigs.1.Overrides.3.InstanceType", "c7g.large");
        expected.put("LaunchTemplateConfigs.1.Overrides.3.SubnetId", "subnet-0a");
        expected.put("LaunchTemplateConfigs.1.Overrides.4.InstanceType", "c7g.large");
        expected.put("LaunchTemplateConfigs.1.Overrides.4.SubnetId", "subnet-0b");
        expected.put("TargetCapacitySpecification.TotalTargetCapacity", "1");
        expected.put("TargetCapacitySpecification.DefaultTargetCapacityType", "spot");
        expected.put("SpotOptions.AllocationStrategy", "price-capacity-optimized");
        expected.put("TagSpecification.1.ResourceType", "instance");
        expected.put("TagSpecification.1.Tag.1.Key", "archscaler.io/node-group");
        expected.put("TagSpecification.1.Tag.1.Value", "arm-spot");
        expected.put("TagSpecification.1.Tag.2.Key", "archscaler.io/cluster");
        expected.put("TagSpecification.1.Tag.2.Value", "prod");
        Map<String, String> sent = new TreeMap<>(aws.requests("CreateFleet").get(0));
        assertThat(sent.remove("ClientToken")).isNotBlank();
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void aPartialSpotFleetIsInsufficientCapacityNamingTheShortTypes() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(xml(createFleetWithErrors("spot", "c7g.large",
                new String[]{I1},
                fleetError("m7g.large", "us-west-2a", "spot", "InsufficientInstanceCapacity",
                        "There is no Spot capacity available that matches your request."),
                fleetError("m7g.large", "us-west-2b", "spot", "UnfulfillableCapacity",
                        "Unable to fulfill capacity due to your request configuration."),
                fleetError("c7g.large", "us-west-2b", "spot", "InsufficientInstanceCapacity",
                        "There is no Spot capacity available that matches your request.")))));

        assertThatThrownBy(() -> provider().increaseSize("arm-spot", 3).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(InsufficientCapacityException.class, e -> {
                    assertThat(e.instanceTypes()).containsExactly("m7g.large", "c7g.large");
                    assertThat(e.offeringUnavailable()).isTrue();
                    assertThat(e.getMessage()).contains("launched 1 of 3").contains("UnfulfillableCapacity");
                });
    }

    @Test
    void aVcpuQuotaInTheErrorSetIsAFailedLaunchThatMarksTheOffering() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(xml(createFleetWithErrors("spot", "m7g.large",
                new String[]{}, fleetError("m7g.large", "us-west-2a", "spot", "VcpuLimitExceeded",
                        "You have requested more vCPU capacity than your current vCPU limit of 32 allows.")))));

        assertThatThrownBy(() -> provider().increaseSize("arm-spot", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo("QuotaExceeded");
                    assertThat(e.error().code()).isEqualTo("VcpuLimitExceeded");
                    assertThat(e.offeringUnavailable()).isTrue();
                });
    }

    @Test
    void aRefusedCreateFleetForASubnetWithoutAddressesMarksTheOffering() {
        liveInstances();
        aws.server().stubFor(action("CreateFleet").willReturn(ec2Error(400, "InsufficientFreeAddressesInSubnet",
                "There are not enough free addresses in subnet 'subnet-0a' to satisfy the requested number of"
                        + " instances.")));

        assertThatThrownBy(() -> provider().increaseSize("arm-spot", 1).toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo("SubnetFull");
                    assertThat(e.offeringUnavailable()).isTrue();
                });
    }
}
