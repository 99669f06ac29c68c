package io.archscaler.images;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference normalised the way container runtimes normalise it before a pull.
 *
 * <p>{@code nginx} becomes {@code registry-1.docker.io/library/nginx:latest}: Docker Hub's short
 * names gain {@code library/}, {@code docker.io} and {@code index.docker.io} become the host that
 * actually serves the registry API, and a reference with neither tag nor digest gets
 * {@code latest}. A reference with a digest is pulled by that digest, whatever its tag says.
 *
 * @param registry   registry host, with a port when one was given ({@code host:5000}, {@code [::1]:5000})
 * @param repository repository path inside the registry ({@code library/nginx})
 * @param tag        the tag, or null when the reference only has a digest
 * @param digest     the digest ({@code sha256:…}), or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    /** The host Docker Hub's registry API is served from. */
    public static final String DOCKER_HUB = "registry-1.docker.io";

    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+\\]");

    /**
     * Parses and normalises a reference as written in a pod spec.
     *
     * @throws InvalidImageReferenceException naming what is wrong with it
     */
    public static ImageReference parse(String reference) throws InvalidImageReferenceException {
        if (reference == null || reference.isBlank()) {
            throw new InvalidImageReferenceException(String.valueOf(reference), "empty reference");
        }
        String ref = reference.strip();
        if (ref.contains("://")) {
            throw new InvalidImageReferenceException(reference, "a reference has no URL scheme");
        }
        String digest = null;
        String rest = ref;
        int at = ref.indexOf('@');
        if (at >= 0) {
            digest = ref.substring(at + 1);
            rest = ref.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new InvalidImageReferenceException(reference, "malformed digest \"" + digest + "\"");
            }
            if (digest.startsWith("sha256:") && !SHA256.matcher(digest).matches()) {
                throw new InvalidImageReferenceException(reference, "a sha256 digest is 64 lowercase hex digits");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidImageReferenceException(reference, "malformed tag \"" + tag + "\"");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidImageReferenceException(reference, "no repository name");
        }
        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        boolean firstIsHost = slash >= 0 && (first.contains(".") || first.contains(":")
                || first.equals("localhost") || !first.equals(first.toLowerCase(Locale.ROOT)));
        if (firstIsHost) {
            registry = canonicalHost(checkHost(reference, first));
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        checkRepository(reference, repository);
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new InvalidImageReferenceException(reference, "name longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, repository, tag, digest);
    }

    /**
     * The host a registry name stands for: Docker Hub's aliases become {@code registry-1.docker.io},
     * a URL scheme or path is dropped, and the name is lowercased.
     */
    public static String canonicalHost(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int path = h.indexOf('/');
        if (path >= 0) {
            h = h.substring(0, path);
        }
        return switch (h) {
            case "docker.io", "index.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
            default -> h;
        };
    }

    /** What the registry is asked for: the digest when there is one, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    private static String checkHost(String reference, String host) throws InvalidImageReferenceException {
        String hostPart = host;
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || !IPV6.matcher(host.substring(0, close + 1)).matches()) {
                throw new InvalidImageReferenceException(reference, "malformed registry host \"" + host + "\"");
            }
            hostPart = host.substring(0, close + 1);
            String after = host.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new InvalidImageReferenceException(reference, "malformed registry host \"" + host + "\"");
                }
                port = after.substring(1);
            }
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                hostPart = host.substring(0, colon);
                port = host.substring(colon + 1);
            }
            for (String component : hostPart.split("\\.", -1)) {
                if (!DOMAIN_COMPONENT.matcher(component).matches()) {
                    throw new InvalidImageReferenceException(reference, "malformed registry host \"" + host + "\"");
                }
            }
        }
        if (port != null && (port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 5
                || Integer.parseInt(port) > 65535)) {
            throw new InvalidImageReferenceException(reference, "malformed registry port in \"" + host + "\"");
        }
        return host;
    }

    private static void checkRepository(String reference, String repository) throws InvalidImageReferenceException {
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                String problem = component.isEmpty() ? "empty path component in \"" + repository + "\""
                        : !component.equals(component.toLowerCase(Locale.ROOT))
                        ? "repository name must be lowercase"
                        : "malformed repository path component \"" + component + "\"";
                throw new InvalidImageReferenceException(reference, problem);
            }
        }
    }
}
