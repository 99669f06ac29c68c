package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.ProviderException;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps what the Kubernetes API answered to the provider contract's errors: 404 on a group is
 * {@link NodeGroupNotFoundException}; 409 (a concurrent writer), 429 and 5xx are retryable
 * {@link CloudApiException}s; other statuses are not retryable. The error code is the HTTP
 * status; a request that got no answer at all is {@code Unreachable} and retryable.
 */
final class ClusterApiErrors {
    static final String UNREACHABLE = "Unreachable";

    private ClusterApiErrors() {
    }

    static ProviderException map(Throwable t, String provider, String operation, String nodeGroup) {
        Throwable e = unwrap(t);
        if (e instanceof ProviderException p) {
            return p;
        }
        if (e instanceof KubernetesClientException k) {
            int code = k.getCode();
            if (code == 404 && nodeGroup != null) {
                return new NodeGroupNotFoundException(provider, operation, nodeGroup);
            }
            if (code <= 0) {
                return new CloudApiException(provider, operation, UNREACHABLE, message(k), true, k);
            }
            boolean retryable = code == 409 || code == 429 || code >= 500;
            return new CloudApiException(provider, operation, Integer.toString(code), message(k), retryable, k);
        }
        return new CloudApiException(provider, operation, e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                false, e);
    }

    private static String message(KubernetesClientException k) {
        if (k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return String.valueOf(k.getMessage());
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
