package io.archscaler.cloud.aws.eks;

/** EKS REST-JSON answers as the service sends them. */
public final class EksJson {
    private EksJson() {
    }

    public static String listNodegroups(String nextToken, String... names) {
        StringBuilder json = new StringBuilder("{\"nodegroups\":[");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(names[i]).append('"');
        }
        json.append(']');
        if (nextToken != null) {
            json.append(",\"nextToken\":\"").append(nextToken).append('"');
        }
        return json.append('}').toString();
    }

    /**
     * A DescribeNodegroup answer. {@code instanceTypes}, {@code labels}, {@code taints} and
     * {@code launch} are JSON fragments ({@code launch} may be empty, {@code ,"launchTemplate":{…}} or {@code ,"diskSize":20}).
     */
    public static String nodegroup(String name, String status, String amiType, String capacityType, String instanceTypes,
                            String labels, String taints, int min, int max, int desired, String asg, String launch) {
        return "{\"nodegroup\":{\"nodegroupName\":\"" + name + "\",\"nodegroupArn\":\"arn:aws:eks:us-west-2:"
                + "123456789012:nodegroup/prod/" + name + "/0ec9a4e2-1b2c-4d5e-8f9a-0123456789ab\",\"clusterName\":"
                + "\"prod\",\"version\":\"1.31\",\"releaseVersion\":\"1.31.4-20250115\",\"createdAt\":1736935200.0,"
                + "\"modifiedAt\":1736938800.0,\"status\":\"" + status + "\",\"capacityType\":\"" + capacityType + "\","
                + "\"scalingConfig\":{\"minSize\":" + min + ",\"maxSize\":" + max + ",\"desiredSize\":" + desired + "},"
                + "\"instanceTypes\":" + instanceTypes + ",\"subnets\":[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"],"
                + "\"amiType\":\"" + amiType + "\",\"nodeRole\":\"arn:aws:iam::123456789012:role/eks-node\","
                + "\"labels\":" + labels + ",\"taints\":" + taints + ","
                + "\"resources\":{\"autoScalingGroups\":[{\"name\":\"" + asg + "\"}]},"
                + "\"health\":{\"issues\":[]},\"updateConfig\":{\"maxUnavailable\":1},\"tags\":{}" + launch + "}}";
    }

    /**
     * An ACTIVE on-demand group of one instance type whose Auto Scaling group is {@code eks-<name>-0ec9a4e2},
     * as EKS names them, without a launch template (so with the 20 GiB disk EKS reports then);
     * {@code labels} and {@code taints} are JSON fragments.
     */
    public static String activeNodegroup(String name, String amiType, String instanceType, String labels, String taints,
                                         int min, int max, int desired) {
        return nodegroup(name, "ACTIVE", amiType, "ON_DEMAND", "[\"" + instanceType + "\"]", labels, taints, min, max,
                desired, "eks-" + name + "-0ec9a4e2", ",\"diskSize\":20");
    }

    public static String update(int desired) {
        return "{\"update\":{\"id\":\"3f2f2b5e-0f6b-3c7d-9a8b-0123456789ab\",\"status\":\"InProgress\","
                + "\"type\":\"ConfigUpdate\",\"params\":[{\"type\":\"DesiredSize\",\"value\":\"" + desired + "\"}],"
                + "\"createdAt\":1736938800.0,\"errors\":[]}}";
    }
}
