package io.archscaler.reliability;

import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;

/** An in-process Kubernetes API on loopback that the fault tests run controllers against. */
interface ApiServer extends AutoCloseable {
    /** The client the test itself uses. */
    KubernetesClient client();

    /** A client of its own for a controller replica. */
    KubernetesClient newClient();

    @Override
    void close();

    /** The sandbox's API server: CRUD with pod evictions. */
    static ApiServer sandbox() {
        SandboxCluster cluster = new SandboxCluster();
        return new ApiServer() {
            @Override
            public KubernetesClient client() {
                return cluster.client();
            }

            @Override
            public KubernetesClient newClient() {
                return cluster.newClient();
            }

            @Override
            public void close() {
                cluster.close();
            }
        };
    }

    /** A CRUD API server whose watches can be closed or expired on demand. */
    static FaultyApiServer faulty() {
        return new FaultyApiServer();
    }

    /** fabric8's mock server in CRUD mode, dispatching through a {@link FaultyApiDispatcher}. */
    final class FaultyApiServer implements ApiServer {
        final FaultyApiDispatcher dispatcher = new FaultyApiDispatcher();
        private final KubernetesMockServer server;
        private final KubernetesClient client;

        FaultyApiServer() {
            server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
            try {
                server.init(InetAddress.getByName("127.0.0.1"), 0);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("loopback address not available", e);
            }
            // the test's own requests (the stand-in scheduler's lists among them) are told apart by their agent
            try (KubernetesClient plain = server.createClient()) {
                client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                        .withUserAgent(FaultyApiDispatcher.TEST_CLIENT).build()).build();
            }
        }

        @Override
        public KubernetesClient client() {
            return client;
        }

        @Override
        public KubernetesClient newClient() {
            return server.createClient();
        }

        @Override
        public void close() {
            client.close();
            server.destroy();
        }
    }
}
