package io.archscaler.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The scaling API a node group is driven through, spelled as in config ({@code provider: eks}). */
public enum ProviderType {
    EKS("eks"),
    ASG("asg"),
    EC2("ec2"),
    CLUSTERAPI("clusterapi"),
    SIMULATED("simulated");

    private final String id;

    ProviderType(String id) {
        this.id = id;
    }

    /** The config spelling, also the key of the group's provider block and {@code NodeGroupProvider.id()}. */
    public String id() {
        return id;
    }

    static Map<String, ProviderType> byId() {
        Map<String, ProviderType> m = new LinkedHashMap<>();
        for (ProviderType p : values()) {
            m.put(p.id, p);
        }
        return m;
    }

    @Override
    public String toString() {
        return id;
    }
}
