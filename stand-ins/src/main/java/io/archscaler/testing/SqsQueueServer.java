package io.archscaler.testing;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.Map;

/**
 * A real SQS-compatible server (ElasticMQ, the SQS JSON protocol the AWS SDK v2 speaks) inside
 * this JVM on a free 127.0.0.1 port, for tests and the demo; plus a client that plays EventBridge:
 * it creates queues and sends events to them, and reads their message counts.
 */
public final class SqsQueueServer implements AutoCloseable {
    /** The region the server's URLs and the test clients use; ElasticMQ accepts any. */
    public static final String REGION = "us-west-2";
    /** ElasticMQ accepts any key: these keep the SDK from looking for real ones. */
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("archscaler-test", "archscaler-test"));

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsAsyncClient client;

    private SqsQueueServer(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = SqsAsyncClient.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .credentialsProvider(CREDENTIALS).build();
    }

    /** Starts the server on a free loopback port. */
    public static SqsQueueServer start() {
        int port = io.archscaler.controlplane.LoopbackPort.free();
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                .withServerAddress(new org.elasticmq.NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        return new SqsQueueServer(server, URI.create("http://127.0.0.1:" + port));
    }

    /** Where SQS calls go: the {@code aws.endpoints.sqs} of a config. */
    public URI endpoint() {
        return endpoint;
    }

    /** Creates a queue and returns its URL. */
    public URI createQueue(String name) {
        return URI.create(client.createQueue(b -> b.queueName(name)).join().queueUrl());
    }

    /** Sends one message, as an EventBridge rule with an SQS target does: the event JSON is the body. */
    public void send(URI queue, String body) {
        client.sendMessage(b -> b.queueUrl(queue.toString()).messageBody(body)).join();
    }

    /** Messages waiting to be received plus those received and not yet deleted. */
    public int messagesLeft(URI queue) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queue.toString()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).join().attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Stops the client and the server. */
    public void stop() {
        client.close();
        server.stopAndWait();
    }

    @Override
    public void close() {
        stop();
    }
}
