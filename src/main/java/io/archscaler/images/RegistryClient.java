package io.archscaler.images;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks image registries (the OCI distribution API, {@code /v2/}) which platforms an image is published for.
 *
 * <p>Mirrors of a registry are tried in order before the registry itself, as containerd does.
 * Loopback and {@code insecure} registries are spoken to over plain HTTP, all others over HTTPS.
 * A 401 is answered with the anonymous (or pull-secret) bearer-token flow or Basic credentials.
 * Redirects are followed here, not by the HTTP client, so a registry's credentials are never sent
 * to the storage a blob redirects to. Credentials and tokens are never logged.
 */
public final class RegistryClient {
    static final int MAX_INDEX_DEPTH = 4;
    static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final RegistryConfig config;

    public RegistryClient(HttpClient http, RegistryConfig config) {
        this.http = http;
        this.config = config;
    }

    /** An HTTP client fit for registries: it leaves redirects to this class and gives up connecting after the timeout. */
    public static HttpClient newHttpClient(RegistryConfig config) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.timeout())
                .build();
    }

    /**
     * The platforms of an image. The stage fails with an {@link ImageLookupException} (possibly
     * wrapped in a {@link CompletionException}) saying why, when the registry does not tell.
     */
    public CompletableFuture<ImagePlatforms> fetch(ImageReference ref, RegistryCredentials credentials) {
        List<String> hosts = new ArrayList<>(config.mirrorsOf(ref.registry()));
        hosts.add(ref.registry());
        return tryHosts(ref, credentials, hosts, 0);
    }

    private CompletableFuture<ImagePlatforms> tryHosts(ImageReference ref, RegistryCredentials credentials,
                                                       List<String> hosts, int i) {
        CompletableFuture<ImagePlatforms> attempt;
        try {
            attempt = new Lookup(ref, hosts.get(i), credentials).resolve();
        } catch (IllegalArgumentException e) {
            attempt = CompletableFuture.failedFuture(new CompletionException(
                    new ImageLookupException(FailureReason.UNREACHABLE, "bad registry address " + hosts.get(i))));
        }
        if (i == hosts.size() - 1) {
            return attempt;
        }
        return attempt.handle((platforms, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(platforms);
            }
            LOG.debug("mirror {} did not serve {}: {}", hosts.get(i), ref, unwrap(error).getMessage());
            return tryHosts(ref, credentials, hosts, i + 1);
        }).thenCompose(Function.identity());
    }

    /** One lookup against one host (a mirror or the registry), holding the authorization it earned. */
    private final class Lookup {
        private final ImageReference ref;
        private final URI base;
        private final Optional<RegistryCredentials.Credential> credential;
        private volatile String authorization;
        private volatile boolean challenged;

        Lookup(ImageReference ref, String host, RegistryCredentials credentials) {
            this.ref = ref;
            String h = host.strip();
            boolean hasScheme = h.contains("://");
            String hostOnly = ImageReference.canonicalHost(h);
            String url = hasScheme ? h : (config.plainHttp(hostOnly) ? "http://" : "https://") + hostOnly;
            this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            this.credential = credentials.forRegistry(hostOnly);
        }

        CompletableFuture<ImagePlatforms> resolve() {
            CompletableFuture<ImagePlatforms> result;
            try {
                result = manifest(ref.manifestReference(), ref.digest())
                        .thenCompose(m -> platforms(m.document(), 0)
                                .thenApply(list -> ImagePlatforms.of(ref.toString(), m.digest(), list)));
            } catch (IllegalArgumentException e) {
                result = CompletableFuture.failedFuture(new ImageLookupException(FailureReason.UNREACHABLE,
                        "bad registry address " + base));
            }
            return result.handle((platforms, error) -> {
                if (error != null) {
                    throw new CompletionException(toLookupException(error));
                }
                return platforms;
            });
        }

        private CompletableFuture<List<Platform>> platforms(Manifests.Document document, int depth) {
            if (document instanceof Manifests.Image image) {
                return blob(image.configDigest()).thenApply(body -> List.of(rethrow(() -> Manifests.configPlatform(body))));
            }
            List<CompletableFuture<List<Platform>>> parts = new ArrayList<>();
            for (Manifests.Entry entry : ((Manifests.Index) document).entries()) {
                if (!entry.isIndex() && entry.platform() != null) {
                    parts.add(CompletableFuture.completedFuture(List.of(entry.platform())));
                } else if (depth + 1 > MAX_INDEX_DEPTH) {
                    parts.add(CompletableFuture.failedFuture(new ImageLookupException(FailureReason.BAD_MANIFEST,
                            "indexes nested deeper than " + MAX_INDEX_DEPTH)));
                } else {
                    // a nested index, or an entry that does not say its platform: the child tells
                    parts.add(manifest(entry.digest(), entry.digest()).thenCompose(m -> platforms(m.document(), depth + 1)));
                }
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Set<Platform> all = new LinkedHashSet<>();
                parts.forEach(p -> all.addAll(p.join()));
                return List.copyOf(all);
            });
        }

        private CompletableFuture<Fetched> manifest(String reference, String expectedDigest) {
            String path = "/v2/" + ref.repository() + "/manifests/" + reference;
            return get(path, Manifests.ACCEPT).thenApply(response -> rethrow(() -> {
                byte[] body = checked(response, "manifest " + reference);
                String digest = expectedDigest != null ? verify(body, expectedDigest)
                        : response.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(body));
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                return new Fetched(digest, Manifests.parse(body, contentType));
            }));
        }

        private CompletableFuture<byte[]> blob(String digest) {
            return get("/v2/" + ref.repository() + "/blobs/" + digest, null)
                    .thenApply(response -> rethrow(() -> {
                        byte[] body = checked(response, "config blob " + digest);
                        verify(body, digest);
                        return body;
                    }));
        }

        private byte[] checked(HttpResponse<byte[]> response, String what) throws ImageLookupException {
            int status = response.statusCode();
            if (status == 404) {
                throw new ImageLookupException(FailureReason.NOT_FOUND, what.startsWith("manifest") ? null : what);
            }
            if (status == 401 || status == 403) {
                throw new ImageLookupException(FailureReason.UNAUTHORIZED, null);
            }
            if (status != 200) {
                throw new ImageLookupException(FailureReason.UNREACHABLE, base.getAuthority() + " answered HTTP " + status);
            }
            if (response.body().length > MAX_DOCUMENT_BYTES) {
                throw new ImageLookupException(FailureReason.BAD_MANIFEST, what + " is larger than 4 MiB");
            }
            return response.body();
        }

        private CompletableFuture<HttpResponse<byte[]>> get(String path, String accept) {
            URI uri = URI.create(base + path);
            return send(uri, accept, 0).thenCompose(response -> {
                if (response.statusCode() != 401 || challenged) {
                    return CompletableFuture.completedFuture(response);
                }
                challenged = true;
                return authenticate(response.headers()).thenCompose(v -> send(uri, accept, 0));
            });
        }

        private CompletableFuture<HttpResponse<byte[]>> send(URI uri, String accept, int redirects) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).GET();
            if (accept != null) {
                request.header("Accept", accept);
            }
            String auth = authorization;
            if (auth != null && sameOrigin(uri, base)) {
                request.header("Authorization", auth);
            }
            return timed(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())).thenCompose(response -> {
                LOG.debug("GET {} -> {}", uri, response.statusCode());
                int status = response.statusCode();
                Optional<String> location = response.headers().firstValue("Location");
                if (status / 100 == 3 && status != 304 && location.isPresent()) {
                    if (redirects >= MAX_REDIRECTS) {
                        return CompletableFuture.failedFuture(new ImageLookupException(FailureReason.UNREACHABLE,
                                "more than " + MAX_REDIRECTS + " redirects"));
                    }
                    return send(uri.resolve(location.get()), accept, redirects + 1);
                }
                return CompletableFuture.completedFuture(response);
            });
        }

        private CompletableFuture<Void> authenticate(HttpHeaders headers) {
            List<AuthChallenge> challenges = AuthChallenge.parse(headers.allValues("WWW-Authenticate"));
            Optional<AuthChallenge> bearer = challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
            if (bearer.isPresent()) {
                return token(bearer.get());
            }
            if (challenges.stream().anyMatch(c -> c.scheme().equals("basic"))) {
                if (credential.isEmpty()) {
                    return CompletableFuture.failedFuture(new ImageLookupException(FailureReason.UNAUTHORIZED,
                            "registry asks for credentials and none were given"));
                }
                authorization = basic(credential.get());
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(new ImageLookupException(FailureReason.UNAUTHORIZED,
                    "401 without a challenge this client can answer"));
        }

        private CompletableFuture<Void> token(AuthChallenge challenge) {
            String realm = challenge.param("realm");
            URI uri;
            try {
                uri = realm == null ? null : URI.create(realm);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null
                    || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                return CompletableFuture.failedFuture(new ImageLookupException(FailureReason.UNAUTHORIZED,
                        "bearer challenge without an http(s) realm"));
            }
            List<String> query = new ArrayList<>();
            if (challenge.param("service") != null) {
                query.add("service=" + encode(challenge.param("service")));
            }
            String scope = challenge.param("scope") != null ? challenge.param("scope") : "repository:" + ref.repository() + ":pull";
            query.add("scope=" + encode(scope));
            credential.ifPresent(c -> query.add("account=" + encode(c.username())));
            URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + String.join("&", query));
            HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).timeout(config.timeout()).GET();
            credential.ifPresent(c -> request.header("Authorization", basic(c)));
            return timed(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())).thenApply(response -> {
                LOG.debug("GET {} -> {}", tokenUri, response.statusCode());
                if (response.statusCode() != 200) {
                    throw new CompletionException(new ImageLookupException(FailureReason.UNAUTHORIZED,
                            "token service answered HTTP " + response.statusCode()));
                }
                authorization = "Bearer " + rethrow(() -> tokenOf(response.body()));
                return null;
            });
        }
    }

    private record Fetched(String digest, Manifests.Document document) {
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
        return future.orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String tokenOf(byte[] body) throws ImageLookupException {
        try {
            JsonNode root = JSON.readTree(body);
            for (String field : List.of("token", "access_token")) {
                JsonNode v = root == null ? null : root.get(field);
                if (v != null && v.isString() && !v.stringValue().isEmpty()) {
                    return v.stringValue();
                }
            }
        } catch (JacksonException e) {
            // answered below
        }
        throw new ImageLookupException(FailureReason.UNAUTHORIZED, "token service answered without a token");
    }

    private static String basic(RegistryCredentials.Credential c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Checks content against the digest it was asked by; returns the digest. */
    private static String verify(byte[] body, String digest) throws ImageLookupException {
        if (digest.startsWith("sha256:") && !sha256(body).equals(digest)) {
            throw new ImageLookupException(FailureReason.BAD_MANIFEST, "content does not match digest " + digest);
        }
        return digest;
    }

    static String sha256(byte[] body) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static ImageLookupException toLookupException(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ImageLookupException lookup) {
            return lookup;
        }
        if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
            return new ImageLookupException(FailureReason.TIMEOUT, null);
        }
        if (e instanceof ConnectException) {
            return new ImageLookupException(FailureReason.UNREACHABLE, "connection refused");
        }
        if (e instanceof IOException) {
            return new ImageLookupException(FailureReason.UNREACHABLE,
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
        return new ImageLookupException(FailureReason.UNREACHABLE, String.valueOf(e));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private interface LookupStep<T> {
        T get() throws ImageLookupException;
    }

    private static <T> T rethrow(LookupStep<T> step) {
        try {
            return step.get();
        } catch (ImageLookupException e) {
            throw new CompletionException(e);
        }
    }
}
