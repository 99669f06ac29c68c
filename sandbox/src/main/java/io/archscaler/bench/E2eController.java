package io.archscaler.bench;

import io.archscaler.VertxFactory;
import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ConfigLoader;
import io.archscaler.controller.Controller;
import io.archscaler.controller.KubeTranslation;
import io.archscaler.events.Decision;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The controller {@code bench --e2e} measures, in a JVM of its own so that its cpu and heap are its
 * own: the real controller acting as Archscaler's ServiceAccount (its kubeconfig), with the simulated
 * provider, which registers Nodes with the cloud's own credentials (another kubeconfig) as a kubelet
 * would. Writes one JSON line when it is up and one per decision to stdout; stops when stdin closes,
 * so it never outlives the benchmark.
 */
public final class E2eController {
    private E2eController() {
    }

    /**
     * {@code CONFIG CONTROLLER_KUBECONFIG CLOUD_KUBECONFIG}. Always ends the JVM: a stop that fails (the
     * control plane gone first) must not leave it running on the threads its clients still hold.
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: E2eController CONFIG CONTROLLER_KUBECONFIG CLOUD_KUBECONFIG");
            System.exit(2);
        }
        int exit = 1;
        try {
            run(args);
            exit = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            System.exit(exit);
        }
    }

    private static void run(String[] args) throws Exception {
        ArchscalerConfig config = ConfigLoader.standard().load(Path.of(args[0]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ScheduledExecutorService cloudThreads = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "simulated-cloud");
            t.setDaemon(true);
            return t;
        });
        ArchscalerMetrics metrics = new ArchscalerMetrics();
        Vertx vertx = VertxFactory.create(metrics);
        try (metrics; KubernetesClient cloud = client(Path.of(args[2])); KubernetesClient client = client(Path.of(args[1]));
             ProviderSet providers = new ProviderFactory(cloud, cloudThreads, 1.0).build(config)) {
            Controller controller = new Controller(vertx, config,
                    Controller.Parts.builder(client, new KubeTranslation(providers.membership()), metrics)
                            .providers(providers.byGroup(), providers.openCircuits())
                            .halfOpenCircuits(providers.halfOpenCircuits())
                            .identity("archscaler-bench-0")
                            .decisionSinks(List.of(d -> out.println(line(d))))
                            .http("127.0.0.1", config.http().port())
                            .build());
            controller.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            out.println(new JsonObject().put("ready", true).put("pid", ProcessHandle.current().pid()).encode());
            // the benchmark holds our stdin open while it runs: end of input (its exit, even a crash) stops us
            while (System.in.read() >= 0) {
                // nothing is sent on stdin
            }
            controller.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            cloudThreads.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** A decision without its pods' names, which at 50,000 pods would be most of the line. */
    private static String line(Decision d) {
        return new JsonObject().put("decision", new JsonObject().put("action", d.action().label())
                .put("nodeGroup", d.nodeGroup()).put("from", d.from()).put("to", d.to()).put("pods", d.pods().size())
                .put("outcome", d.outcome().label()).put("error", d.error())).encode();
    }

    private static KubernetesClient client(Path kubeconfig) throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }
}
