package io.archscaler.bench;

import io.archscaler.controlplane.AuditLog;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one burst of {@code bench --e2e} measured. Waits count from the watch's receive times and
 * have the registration delay taken off; requests are Archscaler's (its ServiceAccount's, from the
 * audit log) from the first pod's creation until every pod ran, Events apart.
 *
 * @param pods           the burst's size
 * @param createSeconds  how long the benchmark took to create the pods
 * @param complete       whether every pod was Running before the timeout
 * @param seen           pods the watch saw marked Unschedulable, bound and Running
 * @param waits          from Unschedulable to bound and to Running, less the registration delay
 * @param scaleUps       the controller's scale-up decisions
 * @param requests       the controller's requests to the API server
 * @param cpu            cpu seconds of each process during the burst
 * @param heap           the controller's heap at its collections
 * @param scheduler      what kube-scheduler and the cloud did, to tell where the time went
 * @param load           the one-minute load average before and after
 */
record E2eRound(int pods, double createSeconds, boolean complete, Seen seen, Waits waits, ScaleUps scaleUps,
                Requests requests, Cpu cpu, E2eControllerProcess.Heap heap, Scheduler scheduler, double[] load) {

    /** Pods the watch saw in each state. */
    record Seen(int unschedulable, int bound, int running) {
    }

    /**
     * Seconds, less the registration delay: from the last pod marked Unschedulable to all bound and all Running, and per
     * pod; and from the burst's first request to all bound, the delay not taken off.
     */
    record Waits(double toAllBound, double toAllRunning, Spread bound, Spread running, double startToAllBound) {
    }

    /** p50, p99 and max over pods, in seconds. */
    record Spread(double p50, double p99, double max) {
        static Spread of(double[] values) {
            return new Spread(Stats.round(Stats.percentile(values, 0.5), 3), Stats.round(Stats.percentile(values, 0.99), 3),
                    Stats.round(Stats.percentile(values, 1.0), 3));
        }

        JsonObject toJson() {
            return new JsonObject().put("p50", p50).put("p99", p99).put("max", max);
        }
    }

    /** Scale-up decisions requested, the nodes they asked for, and those that failed. */
    record ScaleUps(int decisions, int nodes, int failed) {
    }

    /** Archscaler's requests, Events excluded, per pod of the burst, by {@code verb resource}; Events counted apart. */
    record Requests(int total, double perPod, int events, Map<String, Integer> byVerbAndResource) {
    }

    /** Cpu seconds of each process over the burst. */
    record Cpu(double controller, double apiServer, double etcd, double scheduler, double controllerManager, double kwok) {
        Cpu minus(Cpu before) {
            return new Cpu(controller - before.controller, apiServer - before.apiServer, etcd - before.etcd,
                    scheduler - before.scheduler, controllerManager - before.controllerManager, kwok - before.kwok);
        }

        JsonObject toJson() {
            return new JsonObject().put("archscaler", Stats.round(controller, 2)).put("kubeApiserver", Stats.round(apiServer, 2))
                    .put("etcd", Stats.round(etcd, 2)).put("kubeScheduler", Stats.round(scheduler, 2))
                    .put("kubeControllerManager", Stats.round(controllerManager, 2)).put("kwok", Stats.round(kwok, 2));
        }
    }

    /**
     * kube-scheduler's bindings and their rate from the first to the last, and when the cloud registered its last
     * Node, in seconds after the last pod was marked Unschedulable (the registration delay not taken off).
     */
    record Scheduler(int bindings, double bindingsPerSecond, double lastNodeRegistered, int nodes) {
    }

    /** What {@link #of} reads a burst's figures from. */
    record Inputs(int pods, Duration registrationDelay, double createSeconds, boolean complete, E2ePodTimeline timeline,
                  Instant origin, List<E2eControllerProcess.Decision> decisions, int nodes, List<AuditLog.Request> audit,
                  String archscalerUser, Cpu cpu, E2eControllerProcess.Heap heap, double loadBefore, double loadAfter) {
    }

    static E2eRound of(Inputs in) {
        E2ePodTimeline t = in.timeline();
        double delay = in.registrationDelay().toMillis() / 1000.0;
        long lastUnschedulable = 0;
        long allBound = 0;
        long allRunning = 0;
        List<Double> bound = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        for (int i = 0; i < t.pods(); i++) {
            long u = t.at(E2ePodTimeline.UNSCHEDULABLE, i);
            long b = t.at(E2ePodTimeline.BOUND, i);
            long r = t.at(E2ePodTimeline.RUNNING, i);
            lastUnschedulable = Math.max(lastUnschedulable, u);
            allBound = Math.max(allBound, b);
            allRunning = Math.max(allRunning, r);
            if (u > 0 && b > 0) {
                bound.add((b - u) / 1e9 - delay);
            }
            if (u > 0 && r > 0) {
                running.add((r - u) / 1e9 - delay);
            }
        }
        Waits waits = new Waits(Stats.round((allBound - lastUnschedulable) / 1e9 - delay, 3),
                Stats.round((allRunning - lastUnschedulable) / 1e9 - delay, 3),
                Spread.of(bound.stream().mapToDouble(Double::doubleValue).toArray()),
                Spread.of(running.stream().mapToDouble(Double::doubleValue).toArray()), Stats.round(allBound / 1e9, 3));
        Seen seen = new Seen(t.count(E2ePodTimeline.UNSCHEDULABLE), t.count(E2ePodTimeline.BOUND), t.count(E2ePodTimeline.RUNNING));
        Instant lastUnschedulableAt = in.origin().plusNanos(lastUnschedulable);
        return new E2eRound(in.pods(), Stats.round(in.createSeconds(), 2), in.complete(), seen, waits, scaleUps(in.decisions()),
                requests(in.audit(), in.archscalerUser(), in.pods()), in.cpu(), in.heap(),
                scheduler(in.audit(), lastUnschedulableAt, in.nodes()), new double[]{in.loadBefore(), in.loadAfter()});
    }

    private static ScaleUps scaleUps(List<E2eControllerProcess.Decision> decisions) {
        int count = 0;
        int nodes = 0;
        int failed = 0;
        for (E2eControllerProcess.Decision d : decisions) {
            if (!"scale-up".equals(d.action())) {
                continue;
            }
            if ("failed".equals(d.outcome())) {
                failed++;
            } else if ("requested".equals(d.outcome())) {
                count++;
                nodes += d.to() - d.from();
            }
        }
        return new ScaleUps(count, nodes, failed);
    }

    private static Requests requests(List<AuditLog.Request> audit, String user, int pods) {
        Map<String, Integer> by = new TreeMap<>();
        int events = 0;
        int total = 0;
        for (AuditLog.Request r : audit) {
            if (!user.equals(r.username())) {
                continue;
            }
            if ("events".equals(r.resource())) {
                events++; // core and events.k8s.io alike: paced by the recorder, counted apart
                continue;
            }
            total++;
            by.merge(r.verb() + " " + (r.resource() == null ? r.requestUri() : r.resourcePath()), 1, Integer::sum);
        }
        return new Requests(total, Stats.round((double) total / pods, 4), events, by);
    }

    private static Scheduler scheduler(List<AuditLog.Request> audit, Instant lastUnschedulable, int nodes) {
        List<AuditLog.Request> bindings = audit.stream().filter(r -> "system:kube-scheduler".equals(r.username())
                && "create".equals(r.verb()) && "pods/binding".equals(r.resource() == null ? null : r.resourcePath())).toList();
        double rate = 0;
        if (bindings.size() > 1) {
            double span = Duration.between(bindings.get(0).received(), bindings.get(bindings.size() - 1).received()).toNanos() / 1e9;
            rate = span > 0 ? bindings.size() / span : 0;
        }
        Instant lastNode = audit.stream().filter(r -> "create".equals(r.verb()) && "nodes".equals(r.resource())
                && r.subresource() == null && r.code() == 201).map(AuditLog.Request::received).max(Instant::compareTo).orElse(null);
        double lastNodeAfter = lastNode == null ? -1 : Duration.between(lastUnschedulable, lastNode).toNanos() / 1e9;
        return new Scheduler(bindings.size(), Stats.round(rate, 1), Stats.round(lastNodeAfter, 3), nodes);
    }

    JsonObject toJson() {
        JsonObject by = new JsonObject();
        requests.byVerbAndResource().forEach(by::put);
        return new JsonObject().put("pods", pods).put("createSeconds", createSeconds).put("complete", complete)
                .put("podsMarkedUnschedulable", seen.unschedulable()).put("podsBound", seen.bound())
                .put("podsRunning", seen.running())
                .put("lastUnschedulableToAllBoundSeconds", waits.toAllBound())
                .put("lastUnschedulableToAllRunningSeconds", waits.toAllRunning())
                .put("burstStartToAllBoundSeconds", waits.startToAllBound())
                .put("unschedulableToBoundSeconds", waits.bound().toJson())
                .put("unschedulableToRunningSeconds", waits.running().toJson())
                .put("scaleUpDecisions", scaleUps.decisions()).put("nodesAskedFor", scaleUps.nodes())
                .put("scaleUpsFailed", scaleUps.failed()).put("nodes", scheduler.nodes())
                .put("apiRequests", requests.total()).put("apiRequestsPerPod", requests.perPod())
                .put("eventsCreated", requests.events()).put("apiRequestsByVerbAndResource", by)
                .put("cpuSeconds", cpu.toJson())
                .put("archscalerPeakHeapMiB", heap.peakMiB()).put("archscalerPeakHeapAfterGcMiB", heap.peakAfterGcMiB())
                .put("schedulerBindings", scheduler.bindings()).put("schedulerBindingsPerSecond", scheduler.bindingsPerSecond())
                .put("lastNodeRegisteredAfterLastUnschedulableSeconds", scheduler.lastNodeRegistered())
                .put("loadAverage", new JsonObject().put("before", load[0]).put("after", load[1]));
    }
}
