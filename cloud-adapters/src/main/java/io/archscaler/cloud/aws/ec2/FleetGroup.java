package io.archscaler.cloud.aws.ec2;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.Taint;

import java.util.List;
import java.util.Map;

/**
 * A node group whose instances Archscaler launches itself with EC2 Fleet.
 *
 * @param instanceTypes the types the fleet may choose from (lowest price first); types of
 *                      another architecture are left out of the request
 * @param subnetIds     subnets to launch into; empty means the launch template's own
 * @param labels        labels the nodes register with (set by the launch template's user data)
 * @param taints        taints the nodes register with (set by the launch template's user data)
 * @param capacityType  spot (a price-capacity-optimized fleet over the types) or on-demand
 *                      (lowest-price); its labels are expected from the user data too
 */
public record FleetGroup(String name, Arch arch, int minSize, int maxSize, FleetLaunchTemplate launchTemplate,
                         List<String> instanceTypes, List<String> subnetIds, Map<String, String> labels,
                         List<Taint> taints, CapacityType capacityType) {
    public FleetGroup {
        String where = "ec2 node group " + name;
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ec2 node group: name missing");
        }
        if (arch == null) {
            throw new IllegalArgumentException(where + ": arch missing (arm64 or amd64)");
        }
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException(where + ": need 0 <= minSize <= maxSize, was minSize=" + minSize
                    + " maxSize=" + maxSize);
        }
        if (launchTemplate == null) {
            throw new IllegalArgumentException(where + ": launchTemplate missing");
        }
        if (instanceTypes == null || instanceTypes.isEmpty()) {
            throw new IllegalArgumentException(where + ": instanceTypes missing (at least one)");
        }
        instanceTypes = List.copyOf(instanceTypes);
        subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
        capacityType = capacityType == null ? CapacityType.ON_DEMAND : capacityType;
    }
}
