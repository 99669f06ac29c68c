package io.archscaler.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A container registry on loopback for the sandbox, speaking the OCI distribution API: multi-arch
 * images are served as OCI indexes (linux/amd64 and linux/arm64), amd64-only images as a single
 * Docker v2 manifest whose config blob says {@code amd64}.
 */
public final class SandboxRegistry implements AutoCloseable {
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

    private final Map<String, Document> manifests = new HashMap<>();
    private final Map<String, Document> blobs = new HashMap<>();
    private final HttpServer server;

    private record Document(String mediaType, byte[] body, String digest) {
    }

    /** Serves {@code multiArch} repositories for both architectures and {@code amd64Only} for amd64. */
    public SandboxRegistry(Vertx vertx, List<String> multiArch, List<String> amd64Only) throws Exception {
        for (String repo : multiArch) {
            Document amd = singleManifest(repo, "amd64", OCI_MANIFEST);
            Document arm = singleManifest(repo, "arm64", OCI_MANIFEST);
            JsonObject index = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX)
                    .put("manifests", new JsonArray()
                            .add(entry(amd, "amd64", null))
                            .add(entry(arm, "arm64", "v8")));
            manifests.put(repo, document(OCI_INDEX, index));
        }
        for (String repo : amd64Only) {
            manifests.put(repo, singleManifest(repo, "amd64", DOCKER_MANIFEST));
        }
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** {@code 127.0.0.1:PORT}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + server.actualPort();
    }

    private Document singleManifest(String repo, String arch, String mediaType) {
        Document config = document(DOCKER_CONFIG, new JsonObject().put("architecture", arch).put("os", "linux")
                .put("config", new JsonObject().put("Entrypoint", new JsonArray().add("/" + repo.replace('/', '-')))));
        blobs.put(config.digest(), config);
        JsonObject manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", mediaType)
                .put("config", new JsonObject().put("mediaType", DOCKER_MANIFEST.equals(mediaType) ? DOCKER_CONFIG
                                : "application/vnd.oci.image.config.v1+json")
                        .put("digest", config.digest()).put("size", config.body().length))
                .put("layers", new JsonArray());
        Document d = document(mediaType, manifest);
        manifests.put(d.digest(), d);
        return d;
    }

    private static JsonObject entry(Document manifest, String arch, String variant) {
        JsonObject platform = new JsonObject().put("architecture", arch).put("os", "linux");
        if (variant != null) {
            platform.put("variant", variant);
        }
        return new JsonObject().put("mediaType", manifest.mediaType()).put("digest", manifest.digest())
                .put("size", manifest.body().length).put("platform", platform);
    }

    private static Document document(String mediaType, JsonObject json) {
        byte[] body = json.encode().getBytes(StandardCharsets.UTF_8);
        try {
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            return new Document(mediaType, body, digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if ("/v2/".equals(path)) {
            req.response().end("{}");
            return;
        }
        int m = path.indexOf("/manifests/");
        int b = path.indexOf("/blobs/");
        Document d = null;
        if (path.startsWith("/v2/") && m > 0) {
            String repo = path.substring(4, m);
            String ref = path.substring(m + "/manifests/".length());
            d = ref.startsWith("sha256:") ? manifests.get(ref) : manifests.get(repo);
        } else if (path.startsWith("/v2/") && b > 0) {
            d = blobs.get(path.substring(b + "/blobs/".length()));
        }
        if (d == null) {
            req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
            return;
        }
        req.response().putHeader("Content-Type", d.mediaType()).putHeader("Docker-Content-Digest", d.digest())
                .end(io.vertx.core.buffer.Buffer.buffer(d.body()));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
