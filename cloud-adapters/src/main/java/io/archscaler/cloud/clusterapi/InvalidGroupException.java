package io.archscaler.cloud.clusterapi;

/** A MachineDeployment or MachineSet whose autoscaler annotations cannot be read; the message names the field. */
final class InvalidGroupException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidGroupException(String message) {
        super(message);
    }
}
