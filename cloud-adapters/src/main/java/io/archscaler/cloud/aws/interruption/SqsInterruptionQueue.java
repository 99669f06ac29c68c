package io.archscaler.cloud.aws.interruption;

import io.archscaler.cloud.aws.AwsClientConfig;
import io.archscaler.cloud.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The interruption queue over the AWS SDK v2 SQS client (the JSON protocol): long polls of
 * {@value #WAIT_SECONDS} s for up to {@value #MAX_MESSAGES} messages, each hidden from other
 * readers for {@link #HANDLING_TIME} while it is handled, which covers a spot warning's two-minute
 * drain.
 */
public final class SqsInterruptionQueue implements InterruptionQueue {
    static final int WAIT_SECONDS = 20;
    static final int MAX_MESSAGES = 10;
    /** How long a received message stays hidden: a drain within the two-minute notice, and some. */
    public static final Duration HANDLING_TIME = Duration.ofSeconds(150);

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    SqsInterruptionQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * A reader of {@code queueUrl} in the region of {@code aws}.
     *
     * @param endpoint    where SQS calls go instead of the regional endpoint (a VPC endpoint, a test server); null for
     *                    the regional one
     * @param credentials null for the SDK's default chain
     */
    public static SqsInterruptionQueue create(AwsClientConfig aws, URI endpoint, URI queueUrl,
                                              AwsCredentialsProvider credentials) {
        // a long poll holds the call open for its wait: the call timeout must outlast it
        Duration timeout = aws.callTimeout().compareTo(Duration.ofSeconds(WAIT_SECONDS + 10)) > 0
                ? aws.callTimeout() : Duration.ofSeconds(WAIT_SECONDS + 10);
        AwsClientConfig config = new AwsClientConfig(aws.region(), null, null, null, timeout);
        return new SqsInterruptionQueue(AwsClients.configure(SqsAsyncClient.builder(), config, endpoint, credentials)
                .build(), queueUrl.toString());
    }

    @Override
    public String url() {
        return queueUrl;
    }

    @Override
    public CompletionStage<List<QueueMessage>> receive() {
        return sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl).waitTimeSeconds(WAIT_SECONDS)
                        .maxNumberOfMessages(MAX_MESSAGES).visibilityTimeout((int) HANDLING_TIME.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT).build())
                .thenApply(r -> r.messages().stream().map(SqsInterruptionQueue::message).toList());
    }

    private static QueueMessage message(Message m) {
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        int received;
        try {
            received = count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            received = 1;
        }
        return new QueueMessage(m.messageId(), m.receiptHandle(), m.body(), received);
    }

    @Override
    public CompletionStage<Void> delete(QueueMessage message) {
        return sqs.deleteMessage(DeleteMessageRequest.builder().queueUrl(queueUrl)
                .receiptHandle(message.receiptHandle()).build()).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Void> retryIn(QueueMessage message, Duration delay) {
        return sqs.changeMessageVisibility(ChangeMessageVisibilityRequest.builder().queueUrl(queueUrl)
                .receiptHandle(message.receiptHandle()).visibilityTimeout((int) delay.toSeconds()).build())
                .thenApply(r -> null);
    }

    @Override
    public void close() {
        sqs.close();
    }
}
