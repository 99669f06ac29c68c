package io.archscaler.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the registry documents that tell an image's platforms: indexes, manifests, image configs. */
final class Manifests {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** The list types come first: without them a registry rewrites a multi-arch image into its amd64 manifest. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> IMAGE_TYPES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    private Manifests() {
    }

    /** A manifest document, as far as platforms are concerned. */
    sealed interface Document permits Index, Image {
    }

    /** An OCI index or a Docker manifest list. */
    record Index(List<Entry> entries) implements Document {
    }

    /** A single-platform manifest: its platform is in the config blob. */
    record Image(String configDigest) implements Document {
    }

    /**
     * One entry of an index.
     *
     * @param platform null when the index does not say
     */
    record Entry(String mediaType, String digest, Platform platform) {
        boolean isIndex() {
            return INDEX_TYPES.contains(mediaType);
        }
    }

    /**
     * Reads a manifest or index, by its Content-Type when that names one of the four types, otherwise by
     * its own {@code mediaType} field or its shape. Attestations and entries that are not images are left out.
     */
    static Document parse(byte[] body, String contentType) throws ImageLookupException {
        JsonNode root = tree(body, "manifest");
        String type = mediaType(contentType);
        if (!INDEX_TYPES.contains(type) && !IMAGE_TYPES.contains(type)) {
            type = text(root, "mediaType");
        }
        if (type == null) {
            type = root.has("manifests") ? OCI_INDEX : root.has("config") ? OCI_MANIFEST : null;
        }
        if (type != null && INDEX_TYPES.contains(type)) {
            return index(root);
        }
        if (type != null && IMAGE_TYPES.contains(type)) {
            JsonNode config = root.get("config");
            String digest = config == null ? null : text(config, "digest");
            if (digest == null || !DIGEST.matcher(digest).matches()) {
                throw new ImageLookupException(FailureReason.BAD_MANIFEST, "image manifest has no valid config digest");
            }
            return new Image(digest);
        }
        throw new ImageLookupException(FailureReason.BAD_MANIFEST,
                "unsupported media type " + (type != null ? type : mediaType(contentType)));
    }

    /** Reads the platform an image config blob names. */
    static Platform configPlatform(byte[] body) throws ImageLookupException {
        JsonNode root = tree(body, "image config");
        String architecture = text(root, "architecture");
        if (architecture == null) {
            throw new ImageLookupException(FailureReason.BAD_MANIFEST, "image config has no architecture");
        }
        String os = text(root, "os");
        return new Platform(os == null ? "linux" : os, architecture, text(root, "variant"));
    }

    static boolean isIndexType(String mediaType) {
        return INDEX_TYPES.contains(mediaType);
    }

    private static Index index(JsonNode root) throws ImageLookupException {
        JsonNode manifests = root.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw new ImageLookupException(FailureReason.BAD_MANIFEST, "index has no manifests list");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode m : manifests) {
            String mediaType = text(m, "mediaType");
            String digest = text(m, "digest");
            if (digest == null || !DIGEST.matcher(digest).matches()) {
                throw new ImageLookupException(FailureReason.BAD_MANIFEST, "index entry without a valid digest");
            }
            JsonNode p = m.get("platform");
            Platform platform = p != null && p.isObject()
                    ? new Platform(text(p, "os"), text(p, "architecture"), text(p, "variant")) : null;
            JsonNode annotations = m.get("annotations");
            boolean attestation = annotations != null && annotations.isObject()
                    && "attestation-manifest".equals(text(annotations, REFERENCE_TYPE));
            boolean known = mediaType == null || INDEX_TYPES.contains(mediaType) || IMAGE_TYPES.contains(mediaType);
            if (attestation || !known || (platform != null && platform.isUnknown())) {
                continue;
            }
            entries.add(new Entry(mediaType == null ? OCI_MANIFEST : mediaType, digest, platform));
        }
        return new Index(entries);
    }

    private static JsonNode tree(byte[] body, String what) throws ImageLookupException {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new ImageLookupException(FailureReason.BAD_MANIFEST, what + " is not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new ImageLookupException(FailureReason.BAD_MANIFEST, what + " is not JSON");
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() && !v.stringValue().isEmpty() ? v.stringValue() : null;
    }
}
