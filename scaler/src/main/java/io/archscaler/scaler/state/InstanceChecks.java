package io.archscaler.scaler.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * When the provider of a group with nodes on their way is asked for its instances: every
 * {@code interval} while the group has nodes in flight, never twice at once for a group, and never
 * again for a group whose provider cannot list them. A group's first check comes one interval
 * after its scale-up; a group found in flight that was never scaled up here (a restart, a new
 * leader) is checked at once.
 */
public final class InstanceChecks {
    private final Duration interval;
    private final Map<String, Instant> lastCheck = new HashMap<>();
    private final Set<String> checking = new HashSet<>();
    private final Set<String> cannotList = new HashSet<>();

    public InstanceChecks(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the instance check interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /** The group was scaled up at {@code now}: its first check is one interval later (unless one is counting already). */
    public void scaledUp(String group, Instant now) {
        lastCheck.putIfAbsent(group, now);
    }

    /**
     * The groups of {@code inFlight} to check at {@code now}, sorted, marked as being checked; groups
     * no longer in flight are forgotten.
     */
    public List<String> start(Instant now, Collection<String> inFlight) {
        lastCheck.keySet().retainAll(inFlight);
        List<String> out = new ArrayList<>();
        for (String group : new TreeSet<>(inFlight)) {
            if (isDue(group, now)) {
                checking.add(group);
                lastCheck.put(group, now);
                out.add(group);
            }
        }
        return out;
    }

    /** The check of the group answered (or failed and will be tried at the next interval). */
    public void finished(String group) {
        checking.remove(group);
    }

    /** The group's provider cannot list instances: it is not asked again. */
    public void cannotList(String group) {
        checking.remove(group);
        cannotList.add(group);
    }

    /** When the next check of a group of {@code inFlight} falls due; empty when none will. */
    public Optional<Instant> next(Collection<String> inFlight) {
        Instant next = null;
        for (String group : inFlight) {
            if (checking.contains(group) || cannotList.contains(group)) {
                continue;
            }
            Instant at = lastCheck.getOrDefault(group, Instant.EPOCH).plus(interval);
            next = next == null || at.isBefore(next) ? at : next;
        }
        return Optional.ofNullable(next);
    }

    private boolean isDue(String group, Instant now) {
        return !checking.contains(group) && !cannotList.contains(group)
                && !lastCheck.getOrDefault(group, Instant.EPOCH).plus(interval).isAfter(now);
    }
}
