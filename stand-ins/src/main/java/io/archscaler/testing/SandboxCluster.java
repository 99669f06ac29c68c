package io.archscaler.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;

/**
 * An in-process Kubernetes API (fabric8's mock server in CRUD mode, watches included, plus the
 * pod eviction subresource) on a free loopback port: the sandbox cluster of the demo, the tests
 * and the benchmarks.
 */
public final class SandboxCluster implements AutoCloseable {
    // the mock server logs every request through java.util.logging at INFO; held so the level sticks
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final EvictingCrudDispatcher dispatcher = new EvictingCrudDispatcher();

    public SandboxCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("loopback address not available", e);
        }
        client = server.createClient();
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public KubernetesClient client() {
        return client;
    }

    /** A new client of the same server (a second controller replica, say). */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    /**
     * The API server refuses the next write to {@code path} (or below it) once with {@code code},
     * as a real one does while RBAC or an admission webhook says no for a moment.
     */
    public void refuseNextWrite(String path, int code) {
        dispatcher.refuseNextWrite(path, code);
    }

    public String url() {
        return client.getMasterUrl().toString();
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // fabric8's mock can time out closing a watch that is closing at the same moment (seen
            // after the late-failure tests); the test's assertions have all run by now
            System.err.println("SandboxCluster: " + e.getMessage() + " (a watch closed at shutdown); the server is left to the JVM");
        }
    }
}
