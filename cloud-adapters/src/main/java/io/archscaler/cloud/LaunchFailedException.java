package io.archscaler.cloud;

/**
 * A scale-up the cloud accepted whose instances failed to launch for a reason other than
 * capacity (a quota, a full subnet, a missing AMI or launch template, a machine that never got
 * a provider ID): back off and plan elsewhere, as for any failed scale-up.
 */
public class LaunchFailedException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final String nodeGroup;
    private final InstanceError error;

    public LaunchFailedException(String provider, String nodeGroup, InstanceError error) {
        super(provider, "launch", nodeGroup + ": " + error.code() + ": " + error.message(), null);
        this.nodeGroup = nodeGroup;
        this.error = error;
    }

    public String nodeGroup() {
        return nodeGroup;
    }

    public InstanceError error() {
        return error;
    }

    /** Quota and full-subnet failures hold for the instance type and zone, as capacity ones do. */
    @Override
    public boolean offeringUnavailable() {
        return error.kind() == InstanceError.Kind.QUOTA || error.kind() == InstanceError.Kind.NETWORK;
    }

    @Override
    public String reason() {
        return error.kind().reason();
    }
}
