package io.archscaler.config;

import java.time.Duration;
import java.util.List;

/** A node group's provider block: where the provider finds the group in its own API. */
public sealed interface ProviderSettings {

    ProviderType type();

    /** {@code eks: {clusterName, nodegroupName}}; default to the config's cluster and the group's name. */
    record Eks(String clusterName, String nodegroupName) implements ProviderSettings {
        @Override
        public ProviderType type() {
            return ProviderType.EKS;
        }
    }

    /** {@code asg: {name}}: the Auto Scaling group's name; defaults to the group's name. */
    record Asg(String name) implements ProviderSettings {
        @Override
        public ProviderType type() {
            return ProviderType.ASG;
        }
    }

    /**
     * {@code ec2: {launchTemplate, launchTemplateVersion, instanceTypes, subnets}}: a fleet of plain
     * instances. {@code launchTemplate} is an id ({@code lt-…}) or a name; the version is a number,
     * {@code $Default} or {@code $Latest} (null: {@code $Default}).
     */
    record Ec2(String launchTemplate, String launchTemplateVersion, List<String> instanceTypes, List<String> subnets)
            implements ProviderSettings {
        public Ec2 {
            instanceTypes = List.copyOf(instanceTypes);
            subnets = List.copyOf(subnets);
        }

        /** The launch template's default version. */
        public Ec2(String launchTemplate, List<String> instanceTypes, List<String> subnets) {
            this(launchTemplate, null, instanceTypes, subnets);
        }

        @Override
        public ProviderType type() {
            return ProviderType.EC2;
        }
    }

    /**
     * {@code clusterapi: {namespace, name, kind, provisionTimeout}}: the MachineDeployment or MachineSet to
     * scale, and how long one of its Machines may go without a provider ID before it counts as failed
     * (null: only maxNodeProvisionTime applies).
     */
    record ClusterApi(String namespace, String name, String kind, Duration provisionTimeout)
            implements ProviderSettings {
        public static final String MACHINE_DEPLOYMENT = "MachineDeployment";
        public static final String MACHINE_SET = "MachineSet";

        public ClusterApi(String namespace, String name, String kind) {
            this(namespace, name, kind, null);
        }

        @Override
        public ProviderType type() {
            return ProviderType.CLUSTERAPI;
        }
    }

    /** {@code simulated: {registrationDelay}}: how long a simulated node takes to register. */
    record Simulated(Duration registrationDelay) implements ProviderSettings {
        @Override
        public ProviderType type() {
            return ProviderType.SIMULATED;
        }
    }
}
