package io.archscaler.images;

import io.archscaler.reliability.InputTally;
import io.archscaler.reliability.Mutations;
import io.archscaler.testing.Gen;
import io.archscaler.testing.Seeds;
import io.archscaler.testing.Tries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a registry answers (any bytes, any Content-Type), the manifest reader returns a
 * document or an {@link ImageLookupException} saying the manifest is bad; never another exception.
 * One instance for all tries, so the tallies count every try.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestInputPropertiesTest {
    private static final List<String> FIXTURES = List.of("oci-index-multiarch.json", "docker-manifest-list.json",
            "oci-manifest-arm64.json", "docker-manifest-amd64.json", "oci-index-attestation.json",
            "oci-index-nested.json", "oci-index-no-platform.json", "config-arm64.json");
    private static final List<String> FIXTURE_TEXTS =
            FIXTURES.stream().map(ManifestInputPropertiesTest::fixture).toList();
    private static final List<String> WORDS = List.of("schemaVersion", "mediaType", "manifests", "digest", "size",
            "platform", "architecture", "os", "variant", "config", "layers", "annotations",
            "vnd.docker.reference.type", "attestation-manifest", Manifests.OCI_INDEX, Manifests.DOCKER_MANIFEST_LIST,
            Manifests.OCI_MANIFEST, Manifests.DOCKER_MANIFEST, "sha256:" + "a".repeat(64), "sha256:", "arm64", "amd64",
            "linux", "unknown", "windows");
    /** The manifest types, their close relatives, junk, empty and none at all. */
    private static final List<String> CONTENT_TYPES = Arrays.asList(Manifests.OCI_INDEX,
            Manifests.DOCKER_MANIFEST_LIST, Manifests.OCI_MANIFEST, Manifests.DOCKER_MANIFEST, "application/json",
            Manifests.OCI_INDEX + "; charset=utf-8", "", "text/html", null);
    private static final List<String> SCALARS = List.of("null", "true", "1", "-1", "1e400", "[]", "{}");

    private final InputTally random = new InputTally();
    private final InputTally shaped = new InputTally();
    private final InputTally mutated = new InputTally();

    @Test
    void aManifestNestedDeeperThanTheParserAllowsIsRefused() {
        String nested = "{\"manifests\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        InputTally deep = new InputTally();
        check(nested.getBytes(StandardCharsets.UTF_8), Manifests.OCI_INDEX, deep);
        assertThat(deep.tries()).isEqualTo(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(500)
    void randomBytesAreReadOrRefused(long seed) {
        Gen gen = new Gen(seed);
        byte[] body = gen.bytes(200);
        String type = contentType(gen);
        Tries.check(seed, () -> check(body, type, random), body, type);
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(800)
    void documentsMadeOfManifestWordsAreReadOrRefused(long seed) {
        Gen gen = new Gen(seed);
        String json = manifestLike(gen);
        String type = contentType(gen);
        Tries.check(seed, () -> check(json.getBytes(StandardCharsets.UTF_8), type, shaped), json, type);
    }

    @ParameterizedTest(name = "seed {0}")
    @Seeds(800)
    void mutatedRealManifestsAreReadOrRefused(long seed) {
        Gen gen = new Gen(seed);
        String json = Mutations.of(gen, FIXTURE_TEXTS);
        String type = contentType(gen);
        Tries.check(seed, () -> check(json.getBytes(StandardCharsets.UTF_8), type, mutated), json, type);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("edgeCases")
    void emptyAndMinimalBodiesAndMutationsAtTheEdgesAreReadOrRefused(String body, String type) {
        check(body.getBytes(StandardCharsets.UTF_8), type, new InputTally());
    }

    @AfterAll
    void record() {
        random.write("manifest-random", "Registry answers: random bytes",
                "seeded: up to 200 random bytes under each manifest Content-Type and junk ones; Manifests.parse and "
                        + "Manifests.configPlatform");
        shaped.write("manifest-shaped", "Registry answers: JSON made of manifest words",
                "seeded: JSON objects nested up to 5 deep from the words of OCI indexes, Docker manifest lists, "
                        + "manifests and image configs");
        mutated.write("manifest-mutated", "Registry answers: mutated real manifests",
                "seeded: 1-3 mutations of the OCI index, Docker manifest list, manifests, attestations and image "
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

    /**
     * An empty body and the smallest documents of each shape under every content type; each real
     * manifest with one mutation at its start or its end, with the index type and with none.
     */
    static Stream<Arguments> edgeCases() {
        Stream<Arguments> minimal = Stream.of("", "{}", "[]", "null", "{\"manifests\": []}", "{\"manifests\": [{}]}",
                        "{\"manifests\": null}", "{\"config\": {}}", "{\"layers\": []}")
                .flatMap(b -> CONTENT_TYPES.stream().map(t -> Arguments.of(Named.of(b.isEmpty() ? "empty" : b, b), t)));
        Stream<Arguments> mutations = Mutations.edgeCases(FIXTURE_TEXTS).stream()
                .flatMap(b -> Stream.of(Arguments.of(b, Manifests.OCI_INDEX), Arguments.of(b, null)));
        return Stream.concat(minimal, mutations);
    }

    private static String contentType(Gen gen) {
        return gen.oneOf(() -> gen.pick(CONTENT_TYPES), () -> gen.string(10));
    }

    /** JSON up to 5 deep from the words of manifests; a bare array or scalar goes under "manifests". */
    private static String manifestLike(Gen gen) {
        Supplier<String> names = () -> gen.oneOf(() -> gen.pick(WORDS), () -> gen.string(4));
        String v = value(gen, names, gen.between(0, 5));
        return v.startsWith("{") ? v : "{\"manifests\": " + v + "}";
    }

    private static String value(Gen gen, Supplier<String> names, int depth) {
        if (depth == 0) {
            return gen.oneOf(() -> quote(names.get()), () -> gen.pick(SCALARS));
        }
        return gen.oneOf(() -> object(gen.map(5, names, () -> value(gen, names, depth - 1))),
                () -> "[" + String.join(", ", gen.list(0, 4, () -> value(gen, names, depth - 1))) + "]");
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
