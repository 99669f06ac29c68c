package io.archscaler.observability;

import io.archscaler.VertxFactory;
import io.archscaler.metrics.ArchscalerMetrics;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VertxFactoryTest {
    @Test
    void vertxMetersLandOnTheArchscalerRegistry() throws Exception {
        try (ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            Vertx vertx = VertxFactory.create(metrics);
            try {
                vertx.eventBus().consumer("test.address", m -> m.reply("pong"))
                        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                vertx.eventBus().request("test.address", "ping").toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                vertx.executeBlocking(() -> "done").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(metrics.scrape()).contains("vertx_eventbus_handlers", "vertx_eventbus_sent_total",
                        "vertx_pool_completed_total", "archscaler_");
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void twoControllersInOneJvmKeepTheirVertxMetersApart() throws Exception {
        try (ArchscalerMetrics first = new ArchscalerMetrics(); ArchscalerMetrics second = new ArchscalerMetrics()) {
            Vertx a = VertxFactory.create(first);
            Vertx b = VertxFactory.create(second);
            try {
                b.eventBus().consumer("only.on.b", m -> m.reply("pong"))
                        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    b.eventBus().request("only.on.b", "ping").toCompletionStage().toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                }

                assertThat(sent(second.scrape())).isGreaterThanOrEqualTo(3);
                assertThat(sent(first.scrape())).isZero();
            } finally {
                a.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                b.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void bindingVertxTwiceToTheSameMetricsIsRefused() throws Exception {
        try (ArchscalerMetrics metrics = new ArchscalerMetrics()) {
            Vertx vertx = VertxFactory.create(metrics);
            try {
                assertThatThrownBy(() -> VertxFactory.create(metrics))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already bound");
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Event-bus messages sent, summed over addresses (0 when none was). */
    private static double sent(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("vertx_eventbus_sent_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
