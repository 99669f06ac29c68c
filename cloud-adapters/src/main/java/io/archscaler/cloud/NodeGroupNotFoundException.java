package io.archscaler.cloud;

/** The provider does not know the named group. */
public class NodeGroupNotFoundException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public NodeGroupNotFoundException(String provider, String operation, String nodeGroup) {
        super(provider, operation, "no node group named " + nodeGroup, null);
    }
}
