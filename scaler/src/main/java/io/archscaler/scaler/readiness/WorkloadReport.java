package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.Resources;

/** One workload's verdict, requests and saving. */
public record WorkloadReport(Workload workload, Assessment assessment, Saving saving) {
    public WorkloadId id() {
        return workload.id();
    }

    public Verdict verdict() {
        return assessment.verdict();
    }

    /** One replica's requests. */
    public Resources perReplica() {
        return workload.template().requests();
    }

    /** Every counted pod's requests together (cpu and memory). */
    public Resources total() {
        return times(workload.pods());
    }

    /** The requests of the pods that would move to arm64 (cpu and memory). */
    public Resources moving() {
        return times(saving.pods());
    }

    private Resources times(int pods) {
        Resources r = perReplica();
        return Resources.of(r.cpuMillis() * pods, r.memoryBytes() * pods);
    }
}
