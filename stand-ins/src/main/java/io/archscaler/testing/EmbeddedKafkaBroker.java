package io.archscaler.testing;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one node) running inside this JVM on
 * free 127.0.0.1 ports, for tests, the pipeline benchmark and the demo. {@link #stop()} and
 * {@link #restart()} keep the ports and the log directory, so clients see the same broker go away
 * and come back with its data.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final Path directory;
    private final int brokerPort;
    private final Properties config;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path directory, int brokerPort, Properties config) {
        this.directory = directory;
        this.brokerPort = brokerPort;
        this.config = config;
    }

    /** Formats a fresh log directory and starts a broker on two free loopback ports. */
    public static EmbeddedKafkaBroker start() {
        Path directory = createDirectory();
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = properties(directory.resolve("logs"), brokerPort, controllerPort);
            Path file = directory.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "archscaler embedded broker");
            }
            format(file);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(directory, brokerPort, props);
            broker.startServer();
            return broker;
        } catch (IOException e) {
            deleteQuietly(directory);
            throw new UncheckedIOException("cannot prepare the embedded Kafka broker in " + directory, e);
        } catch (RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    /** Creates topics of one partition each; topics that exist already are left as they are. */
    public void createTopics(String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, 1, (short) 1));
        }
        createTopics(newTopics);
    }

    /** Creates one topic with {@code partitions} partitions, unless it exists already. */
    public void createTopic(String topic, int partitions) {
        createTopics(List.of(new NewTopic(topic, partitions, (short) 1)));
    }

    /** Shuts the broker down and waits for it; ports and data stay for {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker again on the same ports with the same data; a no-op while it runs. */
    public synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteQuietly(directory);
        }
    }

    private synchronized void startServer() {
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        try {
            started.startup();
        } catch (RuntimeException e) {
            started.shutdown();
            started.awaitShutdown();
            throw new IllegalStateException("the embedded Kafka broker did not start on " + bootstrapServers(), e);
        }
        server = started;
    }

    private void createTopics(List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not created within 30s on " + bootstrapServers(), e);
        }
    }

    private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // one node: every internal topic has one replica, and one partition keeps start-up quick
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("min.insync.replicas", "1");
        return p;
    }

    private static void format(Path propertiesFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", propertiesFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot format the embedded Kafka broker's storage: " + e.getMessage(), e);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the embedded Kafka broker's storage failed (exit " + exit + "): "
                + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("archscaler-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the embedded Kafka broker", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover directory in the temp dir does no harm
        }
    }
}
