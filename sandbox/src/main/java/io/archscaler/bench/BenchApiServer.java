package io.archscaler.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's Kubernetes API (fabric8's mock server in CRUD mode, as {@code SandboxCluster}
 * runs it) for the pipeline and soak benchmarks, with two differences that keep the fake API
 * server out of what is measured: Kubernetes Events are acknowledged and not kept (the mock's
 * store looks through every object it holds on each write, and the controller records an Event
 * per pod; a real API server's cost per Event does not grow with the Events it holds, and it
 * expires them), and the journal in which the mock keeps every request it received, for tests
 * to inspect, can be emptied, so a soak's heap shows the controller and not that journal.
 */
final class BenchApiServer implements AutoCloseable {
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    BenchApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new EventsNotKept(),
                false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("loopback address not available", e);
        }
        client = server.createClient();
    }

    KubernetesClient client() {
        return client;
    }

    /** Forgets the requests received so far. */
    void drainRequestJournal() {
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // dropped
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (RuntimeException e) {
            // the mock can time out closing a watch that is closing at the same moment; the results are in already
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** CRUD for everything but Events, which are answered as created. */
    private static final class EventsNotKept extends KubernetesCrudDispatcher {
        EventsNotKept() {
            super(Collections.emptyList());
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            String path = request.getPath();
            int query = path.indexOf('?');
            String resource = query < 0 ? path : path.substring(0, query);
            if (resource.endsWith("/events")) {
                return new MockResponse().setResponseCode(201).setBody(request.getUtf8Body());
            }
            return super.handleCreate(request);
        }
    }
}
