package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.aws.AwsErrors;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The current Linux/UNIX spot price of instance types, from {@code DescribeSpotPriceHistory}:
 * the latest price per type and zone, kept for {@code maxAge} so group listings every few
 * seconds do not call EC2 each time. A group's price is its type's lowest zone price, the pool a
 * price-capacity-optimized fleet leans to.
 */
public final class SpotPrices {
    /** How long fetched prices are used before they are asked for again. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    private final Ec2Api ec2;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Fetched> byType = new HashMap<>();

    /** One type's latest price per zone, and when it was fetched. */
    private record Fetched(Map<String, Latest> byZone, Instant at) {
    }

    private record Latest(double price, Instant timestamp) {
    }

    public SpotPrices(Ec2Api ec2, Clock clock, Duration maxAge) {
        this.ec2 = ec2;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /**
     * The lowest current spot price per hour of each type, over its zones; a type EC2 listed no
     * price for is absent. Types whose prices are older than {@code maxAge} are fetched again in
     * one call; a failed call fails this stage once and is not tried again for {@code maxAge}
     * (a missing permission costs one call and one warning per {@code maxAge}, not one per listing).
     */
    public synchronized CompletionStage<Map<String, Double>> lowest(Collection<String> types) {
        Instant now = clock.instant();
        List<String> stale = types.stream().distinct()
                .filter(t -> !byType.containsKey(t) || byType.get(t).at().plus(maxAge).isBefore(now))
                .toList();
        CompletionStage<Void> fetched = stale.isEmpty() ? CompletableFuture.completedFuture(null)
                : AwsErrors.guard(Ec2FleetProvider.ID, "DescribeSpotPriceHistory", null, ec2.spotPrices(stale, now))
                        .whenComplete((prices, error) -> remember(stale, prices == null ? List.of() : prices, now))
                        .thenAccept(prices -> { });
        return fetched.thenApply(v -> lowestOf(types));
    }

    private synchronized void remember(List<String> asked, List<SpotPrice> prices, Instant at) {
        Map<String, Map<String, Latest>> latest = new HashMap<>();
        asked.forEach(t -> latest.put(t, new HashMap<>()));
        for (SpotPrice p : prices) {
            Optional<Double> price = parse(p.spotPrice());
            if (price.isEmpty() || p.instanceTypeAsString() == null || p.timestamp() == null) {
                continue;
            }
            Map<String, Latest> zones = latest.computeIfAbsent(p.instanceTypeAsString(), t -> new HashMap<>());
            Latest old = zones.get(p.availabilityZone());
            if (old == null || p.timestamp().isAfter(old.timestamp())) {
                zones.put(p.availabilityZone(), new Latest(price.get(), p.timestamp()));
            }
        }
        latest.forEach((type, zones) -> byType.put(type, new Fetched(Map.copyOf(zones), at)));
    }

    private synchronized Map<String, Double> lowestOf(Collection<String> types) {
        Map<String, Double> out = new HashMap<>();
        for (String t : types) {
            Fetched f = byType.get(t);
            OptionalDouble low = f == null ? OptionalDouble.empty()
                    : f.byZone().values().stream().mapToDouble(Latest::price).min();
            low.ifPresent(p -> out.put(t, p));
        }
        return out;
    }

    private static Optional<Double> parse(String price) {
        try {
            double p = Double.parseDouble(price);
            return p > 0 ? Optional.of(p) : Optional.empty();
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
