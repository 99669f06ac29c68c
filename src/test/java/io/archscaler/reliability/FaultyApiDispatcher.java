package io.archscaler.reliability;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher with the faults of a real API server on demand: open watches can be
 * closed (an API server restart, a load balancer's idle timeout) or told {@code 410 Gone} in the
 * stream (their resource version was compacted away), and so can the next watches opened; pod
 * evictions can be refused with {@code 429} (a disruption budget the caller did not see, API
 * priority and fairness). Counts watch and list requests, so a test can tell that informers
 * reconnected and relisted.
 */
final class FaultyApiDispatcher extends KubernetesCrudDispatcher {
    /** The User-Agent of the test's own client, whose requests are not counted. */
    static final String TEST_CLIENT = "archscaler-fault-test";
    private static final Pattern EVICTION = Pattern.compile("^/api/v1/namespaces/[^/]+/pods/[^/?]+/eviction(\\?.*)?$");

    private final KubernetesSerialization json = new KubernetesSerialization();
    private final Set<WebSocket> openWatches = ConcurrentHashMap.newKeySet();
    private final AtomicInteger goneAnswers = new AtomicInteger();
    private final AtomicInteger watchRequests = new AtomicInteger();
    private final AtomicInteger listRequests = new AtomicInteger();
    private final AtomicInteger goneSent = new AtomicInteger();
    private final AtomicInteger evictionsRefused = new AtomicInteger();
    private volatile boolean refuseEvictions;

    FaultyApiDispatcher() {
        super(Collections.emptyList());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if (refuseEvictions && "POST".equals(request.getMethod()) && EVICTION.matcher(path).matches()) {
            evictionsRefused.incrementAndGet();
            Status refused = new StatusBuilder().withStatus("Failure").withCode(429).withReason("TooManyRequests")
                    .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build();
            return new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
                    .setBody(json.asJson(refused));
        }
        if ("GET".equals(request.getMethod()) && !TEST_CLIENT.equals(request.getHeader("User-Agent"))) {
            if (isWatch(path)) {
                watchRequests.incrementAndGet();
                if (goneAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    // as an API server answers a watch from a compacted resource version: 200, then ERROR 410
                    return new MockResponse().withWebSocketUpgrade(new GoneOnOpen());
                }
            } else if (isCollection(path)) {
                listRequests.incrementAndGet();
            }
        }
        return super.dispatch(request);
    }

    @Override
    public MockResponse handleWatch(String path) {
        MockResponse response = super.handleWatch(path);
        WebSocketListener inner = response.getWebSocketListener();
        return inner == null ? response : response.withWebSocketUpgrade(new Tracked(inner));
    }

    /** Closes every open watch from the server's side, as an API server going away does. */
    int closeWatches() {
        List<WebSocket> open = List.copyOf(openWatches);
        open.forEach(ws -> ws.close(1001, "going away"));
        return open.size();
    }

    /** Sends an ERROR event with a 410 Status into every open watch and closes it. */
    int expireWatches() {
        List<WebSocket> open = List.copyOf(openWatches);
        open.forEach(this::expire);
        return open.size();
    }

    private void expire(WebSocket ws) {
        ws.send("{\"type\":\"ERROR\",\"object\":" + json.asJson(gone()) + "}");
        ws.close(1000, "expired");
        goneSent.incrementAndGet();
    }

    /** From now on every pod eviction is answered 429 Too Many Requests. */
    void refuseEvictions(boolean refuse) {
        refuseEvictions = refuse;
    }

    int evictionsRefused() {
        return evictionsRefused.get();
    }

    /** The next {@code n} watch requests are told {@code 410 Gone} as soon as they open, and closed. */
    void answerGone(int n) {
        goneAnswers.addAndGet(n);
    }

    int openWatches() {
        return openWatches.size();
    }

    int watchRequests() {
        return watchRequests.get();
    }

    int listRequests() {
        return listRequests.get();
    }

    int goneSent() {
        return goneSent.get();
    }

    int goneAnswersLeft() {
        return goneAnswers.get();
    }

    private static boolean isWatch(String path) {
        return path.contains("watch=true") || path.contains("watch=1");
    }

    /** A list of a kind: {@code /api/v1/pods}, {@code /apis/apps/v1/daemonsets}, {@code /api/v1/namespaces/x/pods}. */
    private static boolean isCollection(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] parts = p.split("/");
        int base = p.startsWith("/api/") ? 3 : 4;
        int rest = parts.length - base;
        return rest == 1 || (rest == 3 && "namespaces".equals(parts[base]));
    }

    private static Status gone() {
        return new StatusBuilder().withStatus("Failure").withCode(410).withReason("Expired")
                .withMessage("too old resource version").build();
    }

    /** A watch stream that says 410 Gone and ends. */
    private final class GoneOnOpen extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            expire(webSocket);
        }
    }

    /** Passes every callback on and keeps the socket while it is open. */
    private final class Tracked extends WebSocketListener {
        private final WebSocketListener inner;

        Tracked(WebSocketListener inner) {
            this.inner = inner;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            inner.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            openWatches.add(webSocket);
            inner.onOpen(webSocket, response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            inner.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            inner.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            inner.onMessage(webSocket, bytes);
        }

        @Override
        public void onPing(WebSocket webSocket, byte[] bytes) {
            inner.onPing(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            openWatches.remove(webSocket);
            inner.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            openWatches.remove(webSocket);
            inner.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            openWatches.remove(webSocket);
            inner.onFailure(webSocket, t, response);
        }
    }
}
