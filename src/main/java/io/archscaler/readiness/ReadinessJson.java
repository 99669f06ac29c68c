package io.archscaler.readiness;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.readiness.Amount;
import io.archscaler.scaler.readiness.BlockedImage;
import io.archscaler.scaler.readiness.ImageSupport;
import io.archscaler.scaler.readiness.PodPlacement;
import io.archscaler.scaler.readiness.ReadinessReport;
import io.archscaler.scaler.readiness.Saving;
import io.archscaler.scaler.readiness.Totals;
import io.archscaler.scaler.readiness.Verdict;
import io.archscaler.scaler.readiness.WorkloadId;
import io.archscaler.scaler.readiness.WorkloadReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The report as JSON, field names as the README lists them: {@code cluster}, {@code totals},
 * {@code namespaces}, {@code blockedImages}, {@code workloads}, {@code notes}. Money is per month,
 * rounded to the cent; cpu in millicores, memory in bytes.
 */
final class ReadinessJson {
    private ReadinessJson() {
    }

    static JsonObject of(String cluster, ReadinessReport report) {
        JsonArray namespaces = new JsonArray();
        report.byNamespace().forEach((ns, t) -> namespaces.add(new JsonObject().put("namespace", ns).mergeIn(totals(t))));
        JsonArray blocked = new JsonArray();
        for (BlockedImage b : report.blockedImages()) {
            blocked.add(new JsonObject().put("image", b.image()).put("platforms", new JsonArray(b.platforms()))
                    .put("workloads", new JsonArray(b.workloads().stream().map(WorkloadId::toString).toList()))
                    .put("forgonePerMonth", Amount.cents(b.forgonePerMonth())));
        }
        JsonArray workloads = new JsonArray();
        report.workloads().forEach(w -> workloads.add(workload(w)));
        return new JsonObject().put("cluster", cluster).put("totals", totals(report.cluster()))
                .put("namespaces", namespaces).put("blockedImages", blocked).put("workloads", workloads)
                .put("notes", new JsonArray(report.notes()));
    }

    private static JsonObject totals(Totals t) {
        JsonObject counts = new JsonObject();
        for (Verdict v : Verdict.values()) {
            counts.put(v.word(), t.count(v));
        }
        return new JsonObject().put("workloads", counts).put("movable", resources(t.movable()))
                .put("savingPerMonth", Amount.cents(t.saving())).put("forgonePerMonth", Amount.cents(t.forgone()))
                .put("atStakePerMonth", Amount.cents(t.atStake()));
    }

    private static JsonObject workload(WorkloadReport w) {
        JsonArray images = new JsonArray();
        for (ImageSupport i : w.workload().images()) {
            images.add(new JsonObject().put("image", i.image()).put("platforms", new JsonArray(i.platforms()))
                    .put("archs", i.archs() == null ? null : archs(i.archs().stream().sorted().toList()))
                    .put("unknown", i.unknown()));
        }
        JsonArray placements = new JsonArray();
        for (PodPlacement p : w.workload().placements()) {
            placements.add(new JsonObject().put("nodeGroup", p.nodeGroup())
                    .put("arch", p.arch() == null ? null : p.arch().label()).put("pods", p.pods()));
        }
        Saving s = w.saving();
        JsonObject saving = new JsonObject().put("pods", s.pods())
                .put("amd64Groups", new JsonArray(s.amd64().groups())).put("amd64PerMonth", Amount.cents(s.amd64().perMonth()))
                .put("arm64Group", s.arm64().groups().isEmpty() ? null : s.arm64().groups().get(0))
                .put("arm64PerMonth", Amount.cents(s.arm64().perMonth())).put("perMonth", Amount.cents(s.perMonth()))
                .put("unpriced", s.unpriced());
        return new JsonObject().put("namespace", w.id().namespace()).put("kind", w.id().kind()).put("name", w.id().name())
                .put("verdict", w.verdict().word()).put("reasons", new JsonArray(w.assessment().reasons()))
                .put("images", images).put("placements", placements).put("pods", w.workload().pods())
                .put("requests", new JsonObject().put("perReplica", resources(w.perReplica())).put("total", resources(w.total())))
                .put("saving", saving);
    }

    private static JsonObject resources(Resources r) {
        return new JsonObject().put("cpuMillis", r.cpuMillis()).put("memoryBytes", r.memoryBytes());
    }

    private static JsonArray archs(List<Arch> archs) {
        return new JsonArray(archs.stream().map(Arch::label).toList());
    }
}
