package io.archscaler.controlplane;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Waiting for started processes to be ready: a condition polled while the processes are watched for an early exit. */
final class ProcessReadiness {
    private ProcessReadiness() {
    }

    /** Polls {@code condition} until it holds; fails with the logs of {@code watched} if one of them exits or time runs out. */
    static void await(String what, List<ManagedProcess> watched, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ManagedProcess p : watched) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("waiting for " + what + ": " + p.describeExit());
                }
            }
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                watched.forEach(p -> logs.append('\n').append(p.describeExit()));
                throw new IllegalStateException(what + " not ready within " + timeout.toSeconds() + " s" + logs);
            }
            sleep(200);
        }
    }

    /** The body of a plain GET, or "" when nothing answers (yet). */
    static String httpGet(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a process to be ready", e);
        }
    }
}
