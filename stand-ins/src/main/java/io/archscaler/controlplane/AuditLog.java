package io.archscaler.controlplane;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kube-apiserver's audit log ({@link ControlPlane#auditLog()}) read back as one entry per
 * request: the policy logs each request at its last stages (a watch at ResponseStarted while it
 * is open, then ResponseComplete), so entries are joined by {@code auditID} and the last stage wins.
 */
public final class AuditLog {
    private AuditLog() {
    }

    /**
     * One request as the API server judged it.
     *
     * @param resource    null for a non-resource URL such as {@code /version}
     * @param apiGroup    empty for the core group
     * @param subresource null when none ({@code eviction}, {@code status}, ...)
     * @param namespace   null for a cluster-scoped object
     * @param name        null for a list, a watch or a create without a name in the path
     * @param code        the HTTP status code of the answer (403 when RBAC refused)
     * @param received    when the API server received it
     * @param answered    when it logged the request's last stage (for a watch still open, when it started)
     */
    public record Request(String auditId, String username, String verb, String apiGroup, String resource,
                          String subresource, String namespace, String name, String requestUri, int code, Instant received,
                          Instant answered) {

        /** {@code resource[/subresource]}, as RBAC rules name it. */
        public String resourcePath() {
            return subresource == null ? resource : resource + "/" + subresource;
        }

        @Override
        public String toString() {
            return username + " " + verb + " " + requestUri + " -> " + code;
        }
    }

    /** Every request logged so far, in the order the API server received them. */
    public static List<Request> read(Path file) {
        Map<String, Request> byId = new LinkedHashMap<>();
        try (Stream<String> lines = Files.lines(file)) {
            lines.forEach(line -> {
                Request r = parse(line);
                if (r != null) {
                    byId.put(r.auditId(), r);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        List<Request> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(Request::received));
        return out;
    }

    /** The requests {@code username} made. */
    public static List<Request> by(Path file, String username) {
        return read(file).stream().filter(r -> username.equals(r.username())).toList();
    }

    /** One line of the log, or null when it is not a whole event (the API server may be writing the last line). */
    static Request parse(String line) {
        JsonObject event;
        try {
            event = new JsonObject(line);
        } catch (DecodeException e) {
            return null;
        }
        String auditId = event.getString("auditID");
        if (auditId == null) {
            return null;
        }
        JsonObject user = event.getJsonObject("user", new JsonObject());
        JsonObject ref = event.getJsonObject("objectRef");
        JsonObject status = event.getJsonObject("responseStatus", new JsonObject());
        String received = event.getString("requestReceivedTimestamp");
        String answered = event.getString("stageTimestamp");
        return new Request(auditId, user.getString("username"), event.getString("verb"),
                ref == null ? null : ref.getString("apiGroup", ""), ref == null ? null : ref.getString("resource"),
                ref == null ? null : ref.getString("subresource"), ref == null ? null : ref.getString("namespace"),
                ref == null ? null : ref.getString("name"), event.getString("requestURI"), status.getInteger("code", 0),
                received == null ? Instant.EPOCH : Instant.parse(received),
                answered == null ? Instant.EPOCH : Instant.parse(answered));
    }
}
