package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.aws.AwsWireMock;

import java.util.Arrays;
import java.util.stream.Collectors;

/** EC2 Query-protocol answers as EC2 sends them: lower-camel elements, lists of {@code <item>}. */
public final class Ec2Xml {
    private Ec2Xml() {
    }

    public static String instanceType(String name, String arch, int vcpus, long memoryMiB, int enis, int ipv4PerEni, int gpus) {
        String gpu = gpus == 0 ? "" : "<gpuInfo><gpus><item><name>T4g</name><manufacturer>NVIDIA</manufacturer><count>"
                + gpus + "</count><memoryInfo><sizeInMiB>16384</sizeInMiB></memoryInfo></item></gpus>"
                + "<totalGpuMemoryInMiB>16384</totalGpuMemoryInMiB></gpuInfo>";
        return "<item><instanceType>" + name + "</instanceType><currentGeneration>true</currentGeneration>"
                + "<processorInfo><supportedArchitectures><item>" + arch + "</item></supportedArchitectures>"
                + "<sustainedClockSpeedInGhz>2.5</sustainedClockSpeedInGhz></processorInfo>"
                + "<vCpuInfo><defaultVCpus>" + vcpus + "</defaultVCpus><defaultCores>" + vcpus + "</defaultCores>"
                + "</vCpuInfo><memoryInfo><sizeInMiB>" + memoryMiB + "</sizeInMiB></memoryInfo>"
                + "<networkInfo><networkPerformance>Up to 12.5 Gigabit</networkPerformance><maximumNetworkInterfaces>"
                + enis + "</maximumNetworkInterfaces><ipv4AddressesPerInterface>" + ipv4PerEni
                + "</ipv4AddressesPerInterface><ipv6Supported>true</ipv6Supported></networkInfo>" + gpu + "</item>";
    }

    public static String describeInstanceTypes(String nextToken, String... items) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstanceTypesResponse xmlns=\"" + AwsWireMock.EC2_NS
                + "\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><instanceTypeSet>"
                + String.join("", items) + "</instanceTypeSet>"
                + (nextToken == null ? "" : "<nextToken>" + nextToken + "</nextToken>")
                + "</DescribeInstanceTypesResponse>";
    }

    public static String instance(String id, String state, String zone) {
        int code = switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            default -> 48;
        };
        return "<item><instanceId>" + id + "</instanceId><imageId>ami-0abcdef1234567890</imageId>"
                + "<instanceState><code>" + code + "</code><name>" + state + "</name></instanceState>"
                + "<instanceType>m7g.large</instanceType><placement><availabilityZone>" + zone
                + "</availabilityZone><tenancy>default</tenancy></placement><architecture>arm64</architecture></item>";
    }

    public static String describeInstances(String... instances) {
        String reservations = Arrays.stream(instances)
                .map(i -> "<item><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId>"
                        + "<groupSet/><instancesSet>" + i + "</instancesSet></item>")
                .collect(Collectors.joining());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"" + AwsWireMock.EC2_NS
                + "\"><requestId>8f7724cf-496f-496e-8fe3-example</requestId><reservationSet>" + reservations
                + "</reservationSet></DescribeInstancesResponse>";
    }

    public static String createFleet(String[] instanceIds, String errorCode, String errorMessage) {
        String ids = Arrays.stream(instanceIds).map(i -> "<item>" + i + "</item>").collect(Collectors.joining());
        String overrides = "<launchTemplateAndOverrides><launchTemplateSpecification><launchTemplateId>lt-0abc1234567890def"
                + "</launchTemplateId><version>3</version></launchTemplateSpecification><overrides><instanceType>"
                + "m7g.large</instanceType></overrides></launchTemplateAndOverrides>";
        String errors = errorCode == null ? "<errorSet/>" : "<errorSet><item>" + overrides
                + "<lifecycle>on-demand</lifecycle><errorCode>" + errorCode + "</errorCode><errorMessage>" + errorMessage
                + "</errorMessage></item></errorSet>";
        String launched = instanceIds.length == 0 ? "<fleetInstanceSet/>" : "<fleetInstanceSet><item>" + overrides
                + "<lifecycle>on-demand</lifecycle><instanceIds>" + ids + "</instanceIds>"
                + "<instanceType>m7g.large</instanceType></item></fleetInstanceSet>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateFleetResponse xmlns=\"" + AwsWireMock.EC2_NS
                + "\"><requestId>b3f1d2c8-2f0e-4d5f-8c3b-example</requestId><fleetId>fleet-0e7a7b3c-1b2a-4c5d-9e8f-"
                + "0123456789ab</fleetId>" + errors + launched + "</CreateFleetResponse>";
    }

    /** One fleet error as an instant fleet reports it: the override it is about, its lifecycle, code and message. */
    public static String fleetError(String instanceType, String zone, String lifecycle, String code, String message) {
        return "<item><launchTemplateAndOverrides><launchTemplateSpecification><launchTemplateId>lt-0abc1234567890def"
                + "</launchTemplateId><version>3</version></launchTemplateSpecification><overrides><instanceType>"
                + instanceType + "</instanceType><availabilityZone>" + zone + "</availabilityZone></overrides>"
                + "</launchTemplateAndOverrides><lifecycle>" + lifecycle + "</lifecycle><errorCode>" + code
                + "</errorCode><errorMessage>" + message + "</errorMessage></item>";
    }

    /** An instant fleet's answer: HTTP 200 with these errors and the instances it did launch (of one type). */
    public static String createFleetWithErrors(String lifecycle, String launchedType, String[] instanceIds,
                                               String... errors) {
        String ids = Arrays.stream(instanceIds).map(i -> "<item>" + i + "</item>").collect(Collectors.joining());
        String launched = instanceIds.length == 0 ? "<fleetInstanceSet/>" : "<fleetInstanceSet><item>"
                + "<launchTemplateAndOverrides><launchTemplateSpecification><launchTemplateId>lt-0abc1234567890def"
                + "</launchTemplateId><version>3</version></launchTemplateSpecification><overrides><instanceType>"
                + launchedType + "</instanceType></overrides></launchTemplateAndOverrides><lifecycle>" + lifecycle
                + "</lifecycle><instanceIds>" + ids + "</instanceIds><instanceType>" + launchedType
                + "</instanceType></item></fleetInstanceSet>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateFleetResponse xmlns=\"" + AwsWireMock.EC2_NS
                + "\"><requestId>b3f1d2c8-2f0e-4d5f-8c3b-example</requestId><fleetId>fleet-0e7a7b3c-1b2a-4c5d-9e8f-"
                + "0123456789ab</fleetId><errorSet>" + String.join("", errors) + "</errorSet>" + launched
                + "</CreateFleetResponse>";
    }

    /** One spot price as DescribeSpotPriceHistory lists it. */
    public static String spotPrice(String instanceType, String zone, String price, String timestamp) {
        return "<item><availabilityZone>" + zone + "</availabilityZone><instanceType>" + instanceType
                + "</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>" + price
                + "</spotPrice><timestamp>" + timestamp + "</timestamp></item>";
    }

    public static String describeSpotPriceHistory(String nextToken, String... prices) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeSpotPriceHistoryResponse xmlns=\""
                + AwsWireMock.EC2_NS + "\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>"
                + "<spotPriceHistorySet>" + String.join("", prices) + "</spotPriceHistorySet>"
                + "<nextToken>" + (nextToken == null ? "" : nextToken) + "</nextToken></DescribeSpotPriceHistoryResponse>";
    }

    public static String terminateInstances(String... ids) {
        String items = Arrays.stream(ids).map(i -> "<item><instanceId>" + i + "</instanceId><currentState><code>32"
                + "</code><name>shutting-down</name></currentState><previousState><code>16</code><name>running</name>"
                + "</previousState></item>").collect(Collectors.joining());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TerminateInstancesResponse xmlns=\"" + AwsWireMock.EC2_NS
                + "\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><instancesSet>" + items
                + "</instancesSet></TerminateInstancesResponse>";
    }

    public static String launchTemplateVersion(String id, String name, long version, String instanceType) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeLaunchTemplateVersionsResponse xmlns=\""
                + AwsWireMock.EC2_NS + "\"><requestId>65cadec1-b364-4354-8ca8-4176dexample</requestId>"
                + "<launchTemplateVersionSet><item><launchTemplateId>" + id + "</launchTemplateId><launchTemplateName>"
                + name + "</launchTemplateName><versionNumber>" + version + "</versionNumber><defaultVersion>true"
                + "</defaultVersion><launchTemplateData><imageId>ami-0abcdef1234567890</imageId><instanceType>"
                + instanceType + "</instanceType></launchTemplateData></item></launchTemplateVersionSet>"
                + "</DescribeLaunchTemplateVersionsResponse>";
    }
}
