package io.archscaler.scaler.hpa;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Toleration;
import io.archscaler.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HeadroomBookTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.400Z");
    private static final WorkloadRef CHECKOUT = new WorkloadRef("shop", "Deployment", "checkout");
    private static final PendingPod TEMPLATE = new PendingPod("shop", "checkout-headroom", Resources.of(500, 1L << 30)
            .withPods(1), Map.of("kubernetes.io/arch", "arm64"), List.of(),
            List.of(new Toleration("arch", "Equal", "arm64", null)), Set.of(Arch.ARM64), "Deployment/checkout");

    private final MutableClock clock = new MutableClock(T0);
    private final HeadroomBook book = new HeadroomBook(clock, Duration.ofMinutes(5));

    @Test
    void headroomPodsAreBuiltFromTheTemplateAndOwnedByTheWorkload() {
        book.record(CHECKOUT, TEMPLATE, 7, 4);
        List<PendingPod> pods = book.pods();
        assertThat(pods).extracting(PendingPod::key)
                .containsExactly("shop/checkout-headroom-0", "shop/checkout-headroom-1", "shop/checkout-headroom-2");
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.ownerKey()).isEqualTo("Deployment/checkout");
            assertThat(p.requests()).isEqualTo(TEMPLATE.requests());
            assertThat(p.nodeSelector()).isEqualTo(TEMPLATE.nodeSelector());
            assertThat(p.tolerations()).isEqualTo(TEMPLATE.tolerations());
            assertThat(p.imageArchs()).containsExactly(Arch.ARM64);
        });
        assertThat(book.size()).isEqualTo(3);
    }

    @Test
    void eachRealPodCreatedAfterThePredictionReleasesOneHeadroomPod() {
        book.record(CHECKOUT, TEMPLATE, 7, 4);
        clock.advance(Duration.ofSeconds(20));
        Instant created = Instant.parse("2026-11-22T10:00:20Z");

        assertThat(book.podArrived(CHECKOUT, "shop/checkout-abc-1", created)).hasValueSatisfying(a -> {
            assertThat(a.remaining()).isEqualTo(2);
            assertThat(a.recordedAt()).isEqualTo(T0);
            assertThat(a.arrivedAt()).isEqualTo(T0.plusSeconds(20));
        });
        // the same pod seen again (scheduled after pending) does not count twice
        assertThat(book.podArrived(CHECKOUT, "shop/checkout-abc-1", created)).isEmpty();
        // a pod that existed before the prediction is not an arrival
        assertThat(book.podArrived(CHECKOUT, "shop/checkout-old-1", T0.minusSeconds(600))).isEmpty();
        // created in the same second as the prediction (creationTimestamp has whole seconds): counts
        assertThat(book.podArrived(CHECKOUT, "shop/checkout-abc-2", Instant.parse("2026-11-22T10:00:00Z"))).isPresent();
        assertThat(book.pods()).extracting(PendingPod::name).containsExactly("checkout-headroom-0");

        assertThat(book.podArrived(CHECKOUT, "shop/checkout-abc-3", null)).hasValueSatisfying(
                a -> assertThat(a.remaining()).isZero());
        assertThat(book.pods()).isEmpty();
        assertThat(book.entry(CHECKOUT)).isEmpty();
    }

    @Test
    void podsOfOtherWorkloadsReleaseNothing() {
        book.record(CHECKOUT, TEMPLATE, 6, 4);
        assertThat(book.podArrived(new WorkloadRef("shop", "Deployment", "cart"), "shop/cart-1", T0)).isEmpty();
        assertThat(book.size()).isEqualTo(2);
    }

    @Test
    void headroomNotClaimedWithinTheTtlIsReleasedAndTheSameForecastIsNotBookedAgain() {
        book.record(CHECKOUT, TEMPLATE, 8, 4);
        clock.advance(Duration.ofMinutes(4));
        // the same forecast again does not extend the time to live
        book.record(CHECKOUT, TEMPLATE, 8, 4);
        clock.advance(Duration.ofSeconds(59));
        assertThat(book.expire()).isEmpty();
        clock.advance(Duration.ofSeconds(1));

        assertThat(book.expire()).containsExactly(
                new HeadroomBook.Released(CHECKOUT, 4, HeadroomBook.Reason.EXPIRED, T0));
        assertThat(book.pods()).isEmpty();
        assertThat(book.record(CHECKOUT, TEMPLATE, 8, 4)).isEmpty();
        assertThat(book.pods()).isEmpty();

        // a different forecast is booked
        assertThat(book.record(CHECKOUT, TEMPLATE, 10, 4)).hasValueSatisfying(e -> {
            assertThat(e.remaining()).isEqualTo(6);
            assertThat(e.recordedAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void aForecastThatNoLongerGrowsTheWorkloadWithdrawsItsHeadroom() {
        book.record(CHECKOUT, TEMPLATE, 8, 4);
        assertThat(book.record(CHECKOUT, TEMPLATE, 4, 4)).isEmpty();
        assertThat(book.pods()).isEmpty();
    }

    @Test
    void aLargerForecastFromTheSameBaseKeepsThePodsAlreadyArrived() {
        book.record(CHECKOUT, TEMPLATE, 8, 4);
        book.podArrived(CHECKOUT, "shop/checkout-1", T0.plusSeconds(1));
        book.podArrived(CHECKOUT, "shop/checkout-2", T0.plusSeconds(1));
        clock.advance(Duration.ofSeconds(10));

        assertThat(book.record(CHECKOUT, TEMPLATE, 10, 4)).hasValueSatisfying(e -> {
            assertThat(e.remaining()).isEqualTo(4);
            assertThat(e.arrived()).containsExactlyInAnyOrder("shop/checkout-1", "shop/checkout-2");
        });
        // once the workload's own count includes them, a new base starts afresh
        assertThat(book.record(CHECKOUT, TEMPLATE, 10, 6)).hasValueSatisfying(e -> {
            assertThat(e.remaining()).isEqualTo(4);
            assertThat(e.arrived()).isEmpty();
        });
    }

    @Test
    void withdrawReleasesAtOnce() {
        book.record(CHECKOUT, TEMPLATE, 6, 4);
        assertThat(book.withdraw(CHECKOUT)).contains(
                new HeadroomBook.Released(CHECKOUT, 2, HeadroomBook.Reason.WITHDRAWN, T0));
        assertThat(book.withdraw(CHECKOUT)).isEmpty();
        assertThat(book.pods()).isEmpty();
    }

    @Test
    void aNewTemplateReplacesTheOldForHeadroomStillHeld() {
        book.record(CHECKOUT, TEMPLATE, 5, 4);
        PendingPod bigger = new PendingPod("shop", "checkout-headroom", Resources.of(2000, 4L << 30).withPods(1),
                Map.of(), List.of(), List.of(), null, "Deployment/checkout");
        book.updateTemplate(CHECKOUT, bigger);
        assertThat(book.pods()).singleElement().satisfies(p -> {
            assertThat(p.requests().cpuMillis()).isEqualTo(2000);
            assertThat(p.imageArchs()).isNull();
        });
    }
}
