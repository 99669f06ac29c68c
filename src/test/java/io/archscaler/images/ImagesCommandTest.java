package io.archscaler.images;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ImagesCommandTest {
    private FakeRegistry registry;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        registry = new FakeRegistry();
        registry.manifest("library/nginx", "1.27", "docker-manifest-list.json", FakeRegistry.DOCKER_LIST);
        registry.amd64Only("team/legacy", "1.0");
        registry.server.stubFor(get(urlEqualTo("/v2/team/gone/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ImagesCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void printsThePlatformsOfEveryImageAndExitsZero() {
        String nginx = registry.host() + "/library/nginx:1.27";
        String legacy = registry.host() + "/team/legacy:1.0";

        int exit = run(nginx, legacy);

        assertThat(exit).isZero();
        int width = nginx.length();
        assertThat(out.toString()).isEqualTo(
                nginx + "  linux/amd64 linux/arm/v5 linux/arm/v7 linux/arm64/v8 linux/386 linux/mips64le linux/ppc64le linux/s390x\n"
                        + String.format("%-" + width + "s", legacy) + "  linux/amd64\n");
    }

    @Test
    void printsWhyALookupFailedAndExitsOne() {
        String legacy = registry.host() + "/team/legacy:1.0";
        String gone = registry.host() + "/team/gone:1.0";

        int exit = run(legacy, gone, "Bad/Name");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString().lines()).containsExactly(
                String.format("%-" + legacy.length() + "s", legacy) + "  linux/amd64",
                String.format("%-" + legacy.length() + "s", gone) + "  error: not found",
                String.format("%-" + legacy.length() + "s", "Bad/Name") + "  error: invalid reference: repository name must be lowercase");
    }

    @Test
    void printsJson() throws Exception {
        int exit = run("--output", "json", registry.host() + "/team/legacy:1.0", registry.host() + "/team/gone:1.0");

        assertThat(exit).isEqualTo(1);
        JsonNode json = JsonMapper.builder().build().readTree(out.toString());
        assertThat(json.toString()).isEqualTo("[{\"image\":\"" + registry.host() + "/team/legacy:1.0\",\"reference\":\""
                + registry.host() + "/team/legacy:1.0\",\"digest\":\"" + FakeRegistry.digestOf("docker-manifest-amd64.json")
                + "\",\"platforms\":[\"linux/amd64\"],\"archs\":[\"amd64\"]},{\"image\":\"" + registry.host()
                + "/team/gone:1.0\",\"reference\":\"" + registry.host() + "/team/gone:1.0\",\"error\":\"not found\"}]");
    }

    @Test
    void readsCredentialsFromAnAuthFile(@TempDir Path dir) throws Exception {
        registry.server.stubFor(get(urlEqualTo("/v2/corp/app/manifests/4.1")).atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        registry.server.stubFor(get(urlEqualTo("/v2/corp/app/manifests/4.1")).atPriority(1)
                .withHeader("Authorization", equalTo("Basic ZGVwbG95Omh1bnRlcjI="))
                .willReturn(FakeRegistry.document("oci-index-multiarch.json", FakeRegistry.OCI_INDEX)));
        Path auth = dir.resolve("config.json");
        Files.writeString(auth, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"ZGVwbG95Omh1bnRlcjI=\"}}}");

        assertThat(run(registry.host() + "/corp/app:4.1")).isEqualTo(1);
        assertThat(run("--auth-file", auth.toString(), registry.host() + "/corp/app:4.1")).isZero();
        assertThat(out.toString()).endsWith(registry.host() + "/corp/app:4.1  linux/amd64 linux/arm64/v8\n");

        Files.writeString(auth, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"%%%\"}}}");
        assertThat(run("--auth-file", auth.toString(), registry.host() + "/team/legacy:1.0")).isEqualTo(2);
        assertThat(err.toString()).contains("pull secret: auths." + registry.host() + ".auth is not base64");
    }

    @Test
    void refusesAnUnknownOutputFormat() {
        assertThat(run("--output", "yaml", registry.host() + "/team/legacy:1.0")).isEqualTo(2);
        assertThat(err.toString()).contains("--output must be json or table, was \"yaml\"");
    }
}
