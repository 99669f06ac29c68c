package io.archscaler.images;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * User names and passwords for registries, as a pod's {@code imagePullSecrets} carry them.
 *
 * <p>Hosts are matched the way the kubelet matches them: exactly (with the port, when the secret
 * names one), or by a {@code *.} wildcard that stands for one label. Never printed: {@link #toString()}
 * names the hosts only.
 */
public final class RegistryCredentials {
    /** No credentials: every registry is asked anonymously. */
    public static final RegistryCredentials NONE = new RegistryCredentials(Map.of());

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Credential> byHost;

    private RegistryCredentials(Map<String, Credential> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    /** A user name and password for one registry. */
    public record Credential(String username, String password) {
        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=***]";
        }
    }

    /** Credentials for the given hosts (Docker Hub's aliases and URLs are normalised). */
    public static RegistryCredentials of(Map<String, Credential> byHost) {
        Map<String, Credential> m = new LinkedHashMap<>();
        byHost.forEach((host, c) -> m.put(ImageReference.canonicalHost(host), c));
        return new RegistryCredentials(m);
    }

    /**
     * Reads the content of a {@code kubernetes.io/dockerconfigjson} secret (its {@code .dockerconfigjson}
     * key, already base64-decoded), or of a legacy {@code kubernetes.io/dockercfg} one.
     *
     * @throws InvalidPullSecretException naming what is wrong, never quoting a secret
     */
    public static RegistryCredentials fromDockerConfigJson(String json) throws InvalidPullSecretException {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JacksonException e) {
            throw new InvalidPullSecretException("pull secret is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPullSecretException("pull secret is not a JSON object");
        }
        JsonNode auths = root.has("auths") ? root.get("auths") : root;
        if (!auths.isObject()) {
            throw new InvalidPullSecretException("pull secret: auths is not an object");
        }
        Map<String, Credential> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : auths.properties()) {
            m.put(ImageReference.canonicalHost(e.getKey()), credential(e.getKey(), e.getValue()));
        }
        return new RegistryCredentials(m);
    }

    /** These credentials, with those of {@code other} for hosts these do not name. */
    public RegistryCredentials merge(RegistryCredentials other) {
        Map<String, Credential> m = new LinkedHashMap<>(other.byHost);
        m.putAll(byHost);
        return new RegistryCredentials(m);
    }

    /** The credential for a registry host, if any. */
    public Optional<Credential> forRegistry(String host) {
        String h = ImageReference.canonicalHost(host);
        Credential exact = byHost.get(h);
        if (exact != null) {
            return Optional.of(exact);
        }
        return byHost.entrySet().stream().filter(e -> globMatches(e.getKey(), h)).map(Map.Entry::getValue).findFirst();
    }

    public boolean isEmpty() {
        return byHost.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryCredentials" + byHost.keySet();
    }

    private static Credential credential(String host, JsonNode entry) throws InvalidPullSecretException {
        if (!entry.isObject()) {
            throw new InvalidPullSecretException("pull secret: auths." + host + " is not an object");
        }
        String username = text(entry, "username");
        String password = text(entry, "password");
        if (username != null && password != null) {
            return new Credential(username, password);
        }
        String auth = text(entry, "auth");
        if (auth == null) {
            throw new InvalidPullSecretException("pull secret: auths." + host + " has neither auth nor username and password");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidPullSecretException("pull secret: auths." + host + ".auth is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new InvalidPullSecretException("pull secret: auths." + host + ".auth is not base64 of user:password");
        }
        return new Credential(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() && !v.stringValue().isEmpty() ? v.stringValue() : null;
    }

    private static boolean globMatches(String pattern, String host) {
        if (!pattern.startsWith("*.")) {
            return false;
        }
        String suffix = pattern.substring(1);
        if (!host.endsWith(suffix)) {
            return false;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && !label.contains(".");
    }
}
