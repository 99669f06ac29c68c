package io.archscaler.cloud.aws.interruption;

/**
 * One message received from the interruption queue.
 *
 * @param receiptHandle what deleting it or changing its visibility names
 * @param receiveCount  how many times SQS has handed it out, this time included
 */
public record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount) {
}
