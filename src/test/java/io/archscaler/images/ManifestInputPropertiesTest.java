package io.archscaler.images;

import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a registry answers (any bytes, any Content-Type), the manifest reader returns a
 * document or an {@link ImageLookupException} saying the manifest is bad; never another exception.
 */
class ManifestInputPropertiesTest {
    private static final List<String> FIXTURES = List.of("oci-index-multiarch.json", "docker-manifest-list.json",
            "oci-manifest-arm64.json", "docker-manifest-amd64.json", "oci-index-attestation.json",
            "oci-index-nested.json", "oci-index-no-platform.json", "config-arm64.json");
    private static final List<String> WORDS = List.of("schemaVersion", "mediaType", "manifests", "digest", "size",
            "platform", "architecture", "os", "variant", "config", "layers", "annotations",
            "vnd.docker.reference.type", "attestation-manifest", Manifests.OCI_INDEX, Manifests.DOCKER_MANIFEST_LIST,
            Manifests.OCI_MANIFEST, Manifests.DOCKER_MANIFEST, "sha256:" + "a".repeat(64), "sha256:", "arm64", "amd64",
            "linux", "unknown", "windows");

    private final InputTally random = new InputTally();
    private final InputTally shaped = new InputTally();
    private final InputTally mutated = new InputTally();

    @Example
    void aManifestNestedDeeperThanTheParserAllowsIsRefused() {
        String nested = "{\"manifests\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        InputTally deep = new InputTally();
        check(nested.getBytes(StandardCharsets.UTF_8), Manifests.OCI_INDEX, deep);
        assertThat(deep.tries()).isEqualTo(1);
    }

    @Property(tries = 500)
    void randomBytesAreReadOrRefused(@ForAll @Size(max = 200) byte[] body, @ForAll("contentTypes") String type) {
        check(body, type, random);
    }

    @Property(tries = 800)
    void documentsMadeOfManifestWordsAreReadOrRefused(@ForAll("manifestLike") String json,
                                                      @ForAll("contentTypes") String type) {
        check(json.getBytes(StandardCharsets.UTF_8), type, shaped);
    }

    @Property(tries = 800)
    void mutatedRealManifestsAreReadOrRefused(@ForAll("mutated") String json, @ForAll("contentTypes") String type) {
        check(json.getBytes(StandardCharsets.UTF_8), type, mutated);
    }

    @AfterProperty
    void record() {
        random.write("manifest-random", "Registry answers: random bytes",
                "jqwik: up to 200 random bytes under each manifest Content-Type and junk ones; Manifests.parse and "
                        + "Manifests.configPlatform");
        shaped.write("manifest-shaped", "Registry answers: JSON made of manifest words",
                "jqwik: JSON objects nested up to 5 deep from the words of OCI indexes, Docker manifest lists, "
                        + "manifests and image configs");
        mutated.write("manifest-mutated", "Registry answers: mutated real manifests",
                "jqwik: 1-3 mutations of the OCI index, Docker manifest list, manifests, attestations and image "
                        + "config fixtures");
    }

    private static void check(byte[] body, String contentType, InputTally tally) {
        boolean read = false;
        try {
            Manifests.Document doc = Manifests.parse(body, contentType);
            if (doc instanceof Manifests.Index index) {
                index.entries().forEach(e -> assertThat(e.digest()).isNotBlank());
            }
            read = true;
        } catch (ImageLookupException e) {
            assertThat(e.getMessage()).isNotBlank();
            tally.refused(e.getMessage());
        }
        try {
            assertThat(Manifests.configPlatform(body)).isNotNull();
        } catch (ImageLookupException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        if (read) {
            tally.accepted();
        }
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(Arbitraries.of(Manifests.OCI_INDEX, Manifests.DOCKER_MANIFEST_LIST,
                        Manifests.OCI_MANIFEST, Manifests.DOCKER_MANIFEST, "application/json",
                        Manifests.OCI_INDEX + "; charset=utf-8", "", "text/html"),
                Arbitraries.strings().ofMaxLength(10), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<String> mutated() {
        return Mutations.of(FIXTURES.stream().map(ManifestInputPropertiesTest::fixture).toList());
    }

    @Provide
    Arbitrary<String> manifestLike() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.strings().ofMaxLength(4));
        Arbitrary<String> scalar = Arbitraries.oneOf(names.map(ManifestInputPropertiesTest::quote),
                Arbitraries.of("null", "true", "1", "-1", "1e400", "[]", "{}"));
        return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
                        Arbitraries.maps(names, inner).ofMaxSize(5).map(ManifestInputPropertiesTest::object),
                        inner.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]")), 0, 5)
                .map(v -> v.startsWith("{") ? v : "{\"manifests\": " + v + "}");
    }

    private static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String fixture(String name) {
        try (InputStream in = ManifestInputPropertiesTest.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource images/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
