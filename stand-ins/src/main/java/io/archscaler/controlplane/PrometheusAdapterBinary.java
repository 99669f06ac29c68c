package io.archscaler.controlplane;

import java.nio.file.Path;

/**
 * prometheus-adapter's custom metrics API server, as {@code tools/prometheus-adapter/install} builds
 * it from the Go module: the directory holding {@code adapter}, named by the system property
 * {@code archscaler.prometheusAdapter.bin} or the environment variable
 * {@code ARCHSCALER_PROMETHEUS_ADAPTER_BIN}. A missing binary is an error telling how to build it,
 * never a reason to skip.
 */
public record PrometheusAdapterBinary(Path file) {
    public static final String PROPERTY = "archscaler.prometheusAdapter.bin";
    public static final String ENV = "ARCHSCALER_PROMETHEUS_ADAPTER_BIN";

    /** The configured binary, checked to be there; an {@link IllegalStateException} saying what to run otherwise. */
    public static PrometheusAdapterBinary locate() {
        return new PrometheusAdapterBinary(ControlPlaneBinaries.requireTool("prometheus-adapter", "adapter", PROPERTY, ENV,
                "tools/prometheus-adapter/install"));
    }
}
