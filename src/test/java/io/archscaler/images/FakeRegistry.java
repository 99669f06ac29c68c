package io.archscaler.images;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A registry on 127.0.0.1 (WireMock) serving real manifest documents from src/test/resources/images. */
public final class FakeRegistry implements AutoCloseable {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    public final WireMockServer server;

    public FakeRegistry() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    /** {@code 127.0.0.1:port}, a loopback registry, so spoken to over plain HTTP. */
    public String host() {
        return "127.0.0.1:" + server.port();
    }

    static byte[] resource(String name) {
        try (InputStream in = FakeRegistry.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource images/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String digestOf(String name) {
        return RegistryClient.sha256(resource(name));
    }

    /** Serves a manifest under a tag and under its digest, as a registry does; returns the digest. */
    String manifest(String repository, String tag, String resource, String mediaType) {
        String digest = digestOf(resource);
        server.stubFor(get(urlEqualTo("/v2/" + repository + "/manifests/" + tag)).willReturn(document(resource, mediaType)));
        server.stubFor(get(urlEqualTo("/v2/" + repository + "/manifests/" + digest)).willReturn(document(resource, mediaType)));
        return digest;
    }

    /** Serves a blob under its digest; returns the digest. */
    String blob(String repository, String resource, String mediaType) {
        String digest = digestOf(resource);
        server.stubFor(get(urlEqualTo("/v2/" + repository + "/blobs/" + digest)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", mediaType).withHeader("Docker-Content-Digest", digest)
                .withBody(resource(resource))));
        return digest;
    }

    /** An amd64-only image: a Docker manifest and its config blob. */
    public String amd64Only(String repository, String tag) {
        blob(repository, "config-amd64.json", DOCKER_CONFIG);
        return manifest(repository, tag, "docker-manifest-amd64.json", DOCKER_MANIFEST);
    }

    /** A multi-arch image: an OCI index with linux/amd64 and linux/arm64/v8. */
    public String multiArch(String repository, String tag) {
        return manifest(repository, tag, "oci-index-multiarch.json", OCI_INDEX);
    }

    static ResponseDefinitionBuilder document(String resource, String mediaType) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", mediaType)
                .withHeader("Docker-Content-Digest", digestOf(resource))
                .withHeader("Docker-Distribution-Api-Version", "registry/2.0")
                .withBody(resource(resource));
    }

    static ResponseDefinitionBuilder manifestUnknown() {
        return aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{}}]}");
    }

    @Override
    public void close() {
        server.stop();
    }
}
