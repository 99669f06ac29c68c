package io.archscaler.readiness;

import io.archscaler.images.FakeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checked-in example reports are what the command prints now for the example snapshot, so they
 * cannot go stale: {@code report.*} with the images' platforms as their registries publish them,
 * served here by a loopback registry that mirrors the snapshot's registries (the report names the
 * images as the snapshot does); {@code report-no-resolve.txt} offline. The debug pod's image is on
 * a {@code .invalid} host, which never resolves: it stays unknown. When a report differs, the fresh
 * one is written to {@code src/target/readiness-example/} to be read and copied over.
 */
class ReadinessExampleTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    /** The snapshot's registries, all mirrored by the loopback registry. */
    private static final List<String> HOSTS = List.of("docker.io", "public.ecr.aws",
            "111122223333.dkr.ecr.us-west-2.amazonaws.com", "602401143452.dkr.ecr.us-west-2.amazonaws.com");
    private static FakeRegistry registry;
    @TempDir
    static Path dir;
    private static Path mirrored;

    @BeforeAll
    static void registry() throws IOException {
        registry = new FakeRegistry();
        // published for both: the public images, EKS's add-ons, and the team's rebuilt services
        for (String image : List.of("library/postgres:16.4", "library/busybox:1.36",
                "appmesh/aws-appmesh-envoy:v1.29.12.1-prod", "amazon-k8s-cni:v1.18.5",
                "eks/kube-proxy:v1.31.2-eksbuild.3", "eks/coredns:v1.11.3-eksbuild.1", "shop/storefront:2.14.0",
                "payments/gateway:3.0.4", "payments/fraud-scorer:0.31.0")) {
            String[] repoTag = image.split(":", 2);
            registry.multiArch(repoTag[0], repoTag[1]);
        }
        // built for amd64 only: a cart service still on an old base image, the nightly exporter, the billing engine
        for (String image : List.of("shop/cart:1.9.3", "data/exporter:2024.11", "payments/billing-engine:7.2.1")) {
            String[] repoTag = image.split(":", 2);
            registry.amd64Only(repoTag[0], repoTag[1]);
        }
        StringBuilder config = new StringBuilder(Files.readString(EXAMPLES.resolve("config.yaml")))
                .append("registries:\n  mirrors:\n");
        HOSTS.forEach(h -> config.append("    \"").append(h).append("\": [\"").append(registry.host()).append("\"]\n"));
        mirrored = Files.writeString(dir.resolve("config.yaml"), config);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"table, report.txt", "json, report.json", "html, report.html"})
    void theCheckedInReportIsCurrent(String format, String file) throws IOException {
        ReadinessRun run = ReadinessRun.of("--config", mirrored.toString(),
                "--state", EXAMPLES.resolve("readiness/snapshot.yaml").toString(), "--output", format);

        assertCurrent(run, file);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"table, report-no-resolve.txt"})
    void theCheckedInOfflineReportIsCurrent(String format, String file) throws IOException {
        ReadinessRun run = ReadinessRun.of("--config", EXAMPLES.resolve("config.yaml").toString(),
                "--state", EXAMPLES.resolve("readiness/snapshot.yaml").toString(), "--no-resolve", "--output", format);

        assertCurrent(run, file);
    }

    private static void assertCurrent(ReadinessRun run, String file) throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path checkedIn = EXAMPLES.resolve("readiness").resolve(file);
        String expected = Files.exists(checkedIn) ? Files.readString(checkedIn) : "";
        if (!expected.equals(run.out())) {
            Path fresh = Path.of("target", "readiness-example", file);
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, run.out());
        }
        assertThat(run.out()).as("examples/readiness/%s is stale: the fresh report is in src/target/readiness-example/%s",
                file, file).isEqualTo(expected);
    }
}
