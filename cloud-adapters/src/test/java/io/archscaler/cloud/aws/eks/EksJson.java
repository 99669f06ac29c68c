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
     * An ACTIVE on-demand group of one instance type, of size 0 (min, max and desired), without labels
     * or taints, whose Auto Scaling group is {@code eks-<name>-0ec9a4e2} as EKS names them, without a
     * launch template (so with the 20 GiB disk EKS reports then); change what a test needs, then
     * {@link Nodegroup#json()}.
     */
    public static Nodegroup activeNodegroup(String name, String amiType, String instanceType) {
        return new Nodegroup(name, amiType, "[\"" + instanceType + "\"]");
    }

    /** A DescribeNodegroup answer being put together; the setters take JSON fragments where the answer has JSON. */
    public static final class Nodegroup {
        private final String name;
        private final String amiType;
        private String instanceTypes;
        private String status = "ACTIVE";
        private String capacityType = "ON_DEMAND";
        private String labels = "{}";
        private String taints = "[]";
        private int min;
        private int max;
        private int desired;
        private String asg;
        private String healthIssues = "[]";
        private String launch = ",\"diskSize\":20";

        private Nodegroup(String name, String amiType, String instanceTypes) {
            this.name = name;
            this.amiType = amiType;
            this.instanceTypes = instanceTypes;
            this.asg = "eks-" + name + "-0ec9a4e2";
        }

        public Nodegroup status(String status) {
            this.status = status;
            return this;
        }

        public Nodegroup capacityType(String capacityType) {
            this.capacityType = capacityType;
            return this;
        }

        /** {@code instanceTypes}: a JSON array, or {@code null} as EKS sends for a launch template's own type. */
        public Nodegroup instanceTypes(String instanceTypes) {
            this.instanceTypes = instanceTypes;
            return this;
        }

        /** {@code labels}: a JSON object. */
        public Nodegroup labels(String labels) {
            this.labels = labels;
            return this;
        }

        /** {@code taints}: a JSON array. */
        public Nodegroup taints(String taints) {
            this.taints = taints;
            return this;
        }

        public Nodegroup sizes(int min, int max, int desired) {
            this.min = min;
            this.max = max;
            this.desired = desired;
            return this;
        }

        /** The Auto Scaling group EKS runs the nodes in. */
        public Nodegroup asg(String asg) {
            this.asg = asg;
            return this;
        }

        /** {@code health.issues}: a JSON array, as EKS reports a group whose instances failed to launch. */
        public Nodegroup healthIssues(String healthIssues) {
            this.healthIssues = healthIssues;
            return this;
        }

        /** What follows {@code tags}: empty, {@code ,"launchTemplate":{…}} or {@code ,"diskSize":20}. */
        public Nodegroup launch(String launch) {
            this.launch = launch;
            return this;
        }

        public String json() {
            return "{\"nodegroup\":{\"nodegroupName\":\"" + name + "\",\"nodegroupArn\":\"arn:aws:eks:us-west-2:"
                    + "123456789012:nodegroup/prod/" + name + "/0ec9a4e2-1b2c-4d5e-8f9a-0123456789ab\",\"clusterName\":"
                    + "\"prod\",\"version\":\"1.31\",\"releaseVersion\":\"1.31.4-20250115\",\"createdAt\":1736935200.0,"
                    + "\"modifiedAt\":1736938800.0,\"status\":\"" + status + "\","
                    + "\"capacityType\":\"" + capacityType + "\","
                    + "\"scalingConfig\":{\"minSize\":" + min + ",\"maxSize\":" + max
                    + ",\"desiredSize\":" + desired + "},"
                    + "\"instanceTypes\":" + instanceTypes + ",\"subnets\":[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"],"
                    + "\"amiType\":\"" + amiType + "\",\"nodeRole\":\"arn:aws:iam::123456789012:role/eks-node\","
                    + "\"labels\":" + labels + ",\"taints\":" + taints + ","
                    + "\"resources\":{\"autoScalingGroups\":[{\"name\":\"" + asg + "\"}]},"
                    + "\"health\":{\"issues\":" + healthIssues + "},"
                    + "\"updateConfig\":{\"maxUnavailable\":1},\"tags\":{}" + launch + "}}";
        }
    }

    public static String update(int desired) {
        return "{\"update\":{\"id\":\"3f2f2b5e-0f6b-3c7d-9a8b-0123456789ab\",\"status\":\"InProgress\","
                + "\"type\":\"ConfigUpdate\",\"params\":[{\"type\":\"DesiredSize\",\"value\":\"" + desired + "\"}],"
                + "\"createdAt\":1736938800.0,\"errors\":[]}}";
    }
}
