package io.archscaler.bench;

import io.archscaler.cli.ArchscalerCommand;
import io.archscaler.cli.CliException;
import io.archscaler.cli.TextTable;
import io.archscaler.controlplane.ControlPlaneBinaries;
import io.archscaler.cli.OutputFormat;
import io.archscaler.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code archscaler bench}: the planner on a generated cluster, a size sweep, the Cluster
 * Autoscaler's binpacking benchmark, the Kafka-to-decision pipeline, and a soak against the sandbox.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark the planner on a generated mixed-arch cluster, or:",
                "  --sweep                   the planner at 1k, 5k, 10k, 20k and 50k pods",
                "  --scenario ca-binpacking  the Cluster Autoscaler's binpacking benchmark",
                "  --pipeline                Kafka -> controller -> decisions, one process",
                "  --soak DURATION           pods coming and going against the sandbox",
                "  --e2e                     bursts of pending pods on the real control plane (kube-apiserver, etcd,",
                "                            kube-scheduler, kube-controller-manager, kwok), Archscaler in its own JVM",
                "With --output json the last line is one JSON object with the results.",
                "With --repeat N it runs N times, each in a fresh JVM, and prints each figure's median, lowest and highest."})
public final class BenchCommand extends ArchscalerCommand {
    static final int EXIT_WRONG_ANSWER = 3;

    @Option(names = "--pods", defaultValue = "10000", paramLabel = "N", description = "pending pods (default: ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--node-groups", defaultValue = "50", paramLabel = "G",
            description = "node groups, half arm64, even, at least 6 (default: ${DEFAULT-VALUE})")
    int nodeGroups;

    @Option(names = "--nodes", defaultValue = "5000", paramLabel = "M", description = "registered nodes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--classes", defaultValue = "100", paramLabel = "K",
            description = "equivalence classes of the pending pods (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--runs", defaultValue = "20", paramLabel = "R", description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "W", description = "untimed runs first, lasting 2 s at least (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "seed of the generated cluster (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--sweep", description = "run 1k, 5k, 10k, 20k and 50k pods and fit the growth exponent")
    boolean sweep;

    @Option(names = "--scenario", paramLabel = "NAME", description = "a fixed scenario: " + CaBinpacking.NAME)
    String scenario;

    @Option(names = "--pipeline", description = "measure Kafka pod events to scale-up decisions through the controller")
    boolean pipeline;

    @Option(names = "--events", defaultValue = "20000", paramLabel = "N",
            description = "pod events to produce with --pipeline (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
            description = "with --pipeline, produce at this many events a second; 0 for a round as fast as possible and"
                    + " then one at 20,000 a second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--soak", paramLabel = "DURATION", description = "churn pods against the sandbox for this long, e.g. 60s")
    String soak;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "run the benchmark N times, each in a fresh JVM, and report medians and spread (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--e2e", description = "bursts of pending pods on the real control plane: waits, requests, cpu")
    boolean e2e;

    @Option(names = "--e2e-pods", split = ",", defaultValue = "1000,10000", paramLabel = "N[,N...]",
            description = "with --e2e, the burst sizes (default: ${DEFAULT-VALUE})")
    List<Integer> e2ePods;

    @Option(names = "--registration-delay", defaultValue = "10s", paramLabel = "DURATION",
            description = "with --e2e, how long a simulated node takes to register after a scale-up (default: ${DEFAULT-VALUE})")
    String registrationDelay;

    @Option(names = "--e2e-client-qps", defaultValue = "200", paramLabel = "QPS",
            description = "with --e2e, kube-scheduler's and kube-controller-manager's --kube-api-qps (burst twice that);"
                    + " 0 keeps Kubernetes' defaults (default: ${DEFAULT-VALUE})")
    double e2eClientQps;

    @Option(names = "--e2e-baseline", description = "with --e2e, no Archscaler: nodes for every pod registered before the"
            + " burst, timing kube-scheduler alone")
    boolean e2eBaseline;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class,
            description = "table, or json to add the results as one JSON object on the last line (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Override
    protected int run() {
        int modes = (sweep ? 1 : 0) + (scenario != null ? 1 : 0) + (pipeline ? 1 : 0) + (soak != null ? 1 : 0) + (e2e ? 1 : 0);
        if (modes > 1) {
            throw new ParameterException(spec.commandLine(),
                    "choose one of --sweep, --scenario, --pipeline, --soak and --e2e");
        }
        if (repeat < 1) {
            throw new ParameterException(spec.commandLine(), "--repeat must be at least 1 (got " + repeat + ")");
        }
        try {
            if (repeat > 1) {
                return repeated();
            }
            if (scenario != null) {
                return scenario();
            }
            if (pipeline) {
                return pipeline();
            }
            if (soak != null) {
                return soak();
            }
            if (e2e) {
                return e2e();
            }
            return planner();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int planner() {
        BenchSpec bench = new BenchSpec(pods, nodeGroups, nodes, classes, seed);
        PlannerBench planner = new PlannerBench(warmup, runs);
        JsonObject json;
        if (sweep) {
            Sweep.Result result = new Sweep(planner, progress()).run(bench);
            out().print(PlannerTable.render(result.points()));
            out().printf(Locale.ROOT, "growth exponent (slope of log time over log pods): %.3f%n", result.growthExponent());
            json = result.main().toJson();
            JsonArray list = new JsonArray();
            result.points().forEach(p -> list.add(p.toJson()));
            json.put("sweep", list).put("growthExponent", Stats.round(result.growthExponent(), 3));
        } else {
            PlannerResult result = planner.synthetic(bench);
            out().print(PlannerTable.render(List.of(result)));
            json = result.toJson();
        }
        return finish(json, 0);
    }

    private int scenario() {
        if (!CaBinpacking.NAME.equals(scenario)) {
            throw new ParameterException(spec.commandLine(),
                    "unknown --scenario \"" + scenario + "\" (known: " + CaBinpacking.NAME + ")");
        }
        PlannerResult r = new PlannerBench(warmup, runs).measure(CaBinpacking.NAME, CaBinpacking::snapshot, 2);
        out().print(PlannerTable.render(List.of(r)));
        boolean right = r.nodesPlanned() == CaBinpacking.EXPECTED_NODES
                && r.podsOnNewNodes() + r.podsOnExistingCapacity() == r.pods() && r.podsUnschedulable() == 0;
        out().printf(Locale.ROOT, "%s: %d new nodes for %d pods (%d on the existing node); expected %d: %s%n",
                CaBinpacking.NAME, r.nodesPlanned(), r.pods(), r.podsOnExistingCapacity(), CaBinpacking.EXPECTED_NODES,
                right ? "right" : "WRONG");
        JsonObject json = r.toJson().put("expectedNodes", CaBinpacking.EXPECTED_NODES).put("correct", right);
        return finish(json, right ? 0 : EXIT_WRONG_ANSWER);
    }

    private int pipeline() {
        if (events < 1) {
            throw new ParameterException(spec.commandLine(), "--events must be at least 1 (got " + events + ")");
        }
        PipelineResult r = new PipelineBench(events, rate, progress()).run();
        out().print(r.table());
        return finish(r.toJson(), r.allComplete() ? 0 : 1);
    }

    private int soak() {
        Duration duration = Durations.parse(soak).filter(d -> !d.isZero()).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--soak expects a duration such as 60s or 5m (got \"" + soak + "\")"));
        SoakResult r = new SoakBench(duration, progress()).run();
        out().print(r.table());
        return finish(r.toJson(), 0);
    }

    /** The same command N times in fresh JVMs: each figure's median, lowest and highest, and each run's load. */
    private int repeated() {
        List<JsonObject> runs;
        try {
            runs = new RepeatedRuns(oneRunArgs(), progress()).run(repeat);
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
        List<RunSpread.Figure> figures = RunSpread.of(runs);
        TextTable t = new TextTable("FIGURE", "MEDIAN", "LOWEST", "HIGHEST", "SPREAD");
        for (RunSpread.Figure f : figures) {
            t.row(f.path(), number(f.median()), number(f.min()), number(f.max()),
                    String.format(Locale.ROOT, "%.0f%%", f.spread() * 100));
        }
        out().printf(Locale.ROOT, "%d runs, each in a fresh JVM; load average at the end of each: %s%n", repeat,
                RunSpread.loadAverages(runs).encode());
        out().print(t.render());
        JsonArray all = new JsonArray();
        runs.forEach(all::add);
        return finish(new JsonObject().put("repeat", repeat).put("median", RunSpread.toJson(figures))
                .put("loadAverages", RunSpread.loadAverages(runs)).put("runs", all), 0);
    }

    /** This command line without --repeat and --output: what each run is given. */
    private List<String> oneRunArgs() {
        List<String> original = spec.root().commandLine().getParseResult().originalArgs();
        List<String> args = new java.util.ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--repeat") || a.equals("-o") || a.equals("--output")) {
                i++;
            } else if (!a.startsWith("--repeat=") && !a.startsWith("--output=") && !a.startsWith("-o")) {
                args.add(a);
            }
        }
        return args;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%,.2f", v);
    }

    private int e2e() {
        Duration delay = Durations.parse(registrationDelay).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--registration-delay expects a duration such as 10s (got \"" + registrationDelay + "\")"));
        // --runs counts the planner's timed runs (20 by default); a burst on a fresh control plane is run once unless asked
        int bursts = spec.commandLine().getParseResult().hasMatchedOption("--runs") ? runs : 1;
        E2eBench bench = new E2eBench(e2ePods, bursts, delay, e2eClientQps, e2eBaseline, progress());
        ControlPlaneBinaries binaries;
        try {
            binaries = ControlPlaneBinaries.locate();
        } catch (IllegalStateException e) {
            err().println("bench --e2e: " + e.getMessage());
            err().println(ControlPlaneBinaries.HOW_TO_BUILD);
            err().flush();
            return 2;
        }
        E2eResult r;
        try {
            r = bench.run(binaries);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("bench --e2e interrupted", e);
        }
        out().print(r.table());
        return finish(r.toJson(), r.allComplete() ? 0 : 1);
    }

    private java.util.function.Consumer<String> progress() {
        return line -> {
            err().println(line);
            err().flush();
        };
    }

    private int finish(JsonObject json, int exit) {
        json.put("machine", Machine.describe());
        if (output == OutputFormat.JSON) {
            out().println(json.encode());
        }
        out().flush();
        return exit;
    }
}
