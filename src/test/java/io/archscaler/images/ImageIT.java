package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.archscaler.Main;
import io.archscaler.controlplane.ImageBase;
import io.archscaler.controlplane.LoopbackRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Archscaler's image as users build it with Jib, checked end to end on loopback: Debian's docker-registry, the
 * JRE base tools/image/install assembled from Debian's packages for amd64 and arm64 pushed to it, the project's
 * own jib-maven-plugin configuration run by a nested {@code mvn package jib:build}, then the image read back
 * by {@code archscaler images} and by a pull of each platform, whose filesystem runs {@code archscaler
 * --version} with its own java: natively for amd64, under qemu-aarch64 for arm64.
 */
class ImageIT {
    private static final String REPOSITORY = "archscaler";
    private static final String TAG = "it";

    @TempDir
    static Path work;
    private static LoopbackRegistry registry;
    private static String image;
    private static long started;

    @BeforeAll
    static void buildTheImage() {
        started = System.nanoTime();
        ImageBase base = ImageBase.locate();
        registry = LoopbackRegistry.start();
        String pushedBase = registry.pushOciLayout(base.layout(), ImageBase.TAG, "base/jre");
        image = registry.host() + "/" + REPOSITORY + ":" + TAG;
        String log = JibBuild.run(Path.of("").toAbsolutePath().getParent(), work, pushedBase, image);
        assertThat(log).contains("Built and pushed image as " + image);
        System.out.printf("ImageIT: base pushed and image built in %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        System.out.printf("ImageIT: %d s in all%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    void archscalerImagesPrintsBothPlatforms() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int exit = cli.execute("images", image);
        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo(image + "  linux/amd64 linux/arm64\n");

        StringWriter json = new StringWriter();
        cli.setOut(new PrintWriter(json, true));
        assertThat(cli.execute("images", "--output", "json", image)).isZero();
        JsonNode lookup = JsonMapper.builder().build().readTree(json.toString()).get(0);
        assertThat(lookup.get("archs").toString()).isEqualTo("[\"amd64\",\"arm64\"]");
    }

    @Test
    void theAmd64ImageRunsArchscalerVersionNatively() {
        PulledImage amd64 = PulledImage.pull(registry.host(), REPOSITORY, TAG, "amd64", work);
        assertLikeTheDockerfile(amd64);
        assertThat(amd64.elfMachine(amd64.executable("java"))).isEqualTo("x86-64");

        assertPrintsTheVersion(amd64);
    }

    @Test
    void theArm64ImageRunsArchscalerVersionUnderQemu() {
        PulledImage arm64 = PulledImage.pull(registry.host(), REPOSITORY, TAG, "arm64", work);
        assertLikeTheDockerfile(arm64);
        assertThat(arm64.elfMachine(arm64.executable("java"))).isEqualTo("aarch64");

        assertPrintsTheVersion(arm64);
    }

    private static void assertLikeTheDockerfile(PulledImage image) {
        JsonNode config = image.config();
        assertThat(config.path("User").asString()).isEqualTo("10001:10001");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("Env").toString()).contains("\"JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError\"");
        assertThat(config.path("Entrypoint").toString()).isEqualTo("[\"java\",\"-cp\",\"@/app/jib-classpath-file\",\"io.archscaler.Main\"]");
        assertThat(config.path("Cmd").toString()).isEqualTo("[\"run\",\"--config\",\"/etc/archscaler/config.yaml\"]");
        System.out.printf("ImageIT: linux/%s image: %d layers, %.1f MiB compressed%n", image.architecture(), image.layers(),
                image.compressedBytes() / 1048576.0);
    }

    private static void assertPrintsTheVersion(PulledImage image) {
        long t0 = System.nanoTime();
        PulledImage.Result result = image.runEntrypoint(List.of("--version"));
        System.out.printf("ImageIT: linux/%s archscaler --version ran in %d ms%n", image.architecture(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("archscaler " + productVersion() + "\n");
        // the image's JAVA_TOOL_OPTIONS reached the JVM
        assertThat(result.stderr()).contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
    }

    // the version Maven wrote into the product's jar this build tested; the image's jar must report the same
    private static String productVersion() {
        try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/io.archscaler/archscaler/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the product's pom.properties is not on the test class path: run ImageIT through "
                        + "failsafe (mvn verify), which tests the packaged jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
