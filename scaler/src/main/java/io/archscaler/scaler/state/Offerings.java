package io.archscaler.scaler.state;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Offering;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Offerings (instance type × zone × capacity type) the cloud said it has no capacity for, each
 * out for {@code unavailableFor} after its last capacity error. A group is out while its own
 * offering is covered by a mark: a mark for every zone covers each zone, a mark for one zone
 * only that zone (a group spread over zones still has the others). Moved only by the clock.
 */
public final class Offerings {
    private final Clock clock;
    private final Duration unavailableFor;
    private final Map<Offering, Entry> marks = new HashMap<>();

    /** Until when an offering is out, and the cloud's reason. */
    public record Entry(Instant until, String reason) {
    }

    /** Unavailable offerings counted by arch and capacity type (a metric's labels). */
    public record Count(Arch arch, CapacityType capacityType, int offerings) {
    }

    public Offerings(Clock clock, Duration unavailableFor) {
        if (unavailableFor == null || unavailableFor.isNegative() || unavailableFor.isZero()) {
            throw new IllegalArgumentException("offerings stay unavailable for a positive time, was " + unavailableFor);
        }
        this.clock = clock;
        this.unavailableFor = unavailableFor;
    }

    /** Marks the offering out from now for {@code unavailableFor}; a new error extends an older mark. */
    public Entry unavailable(Offering offering, String reason) {
        Entry entry = new Entry(clock.instant().plus(unavailableFor), reason);
        marks.put(offering, entry);
        return entry;
    }

    /**
     * A capacity error of a scale-up of {@code group}: its own offering is out, and so is each
     * instance type the cloud named as short (in every zone, the group's capacity type).
     *
     * @return the offerings marked
     */
    public List<Offering> capacityError(NodeGroup group, Collection<String> namedTypes, String reason) {
        Offering own = Offering.of(group);
        List<Offering> marked = new ArrayList<>();
        marked.add(own);
        for (String type : namedTypes) {
            Offering o = new Offering(type, null, group.capacityType(), group.arch());
            if (!marked.contains(o)) {
                marked.add(o);
            }
        }
        marked.forEach(o -> unavailable(o, reason));
        return marked;
    }

    /** Whether a live mark covers this offering. */
    public boolean isUnavailable(Offering offering) {
        Instant now = clock.instant();
        return marks.entrySet().stream()
                .anyMatch(e -> now.isBefore(e.getValue().until()) && e.getKey().covers(offering));
    }

    /** The names of these groups whose own offering is out now, sorted. */
    public Set<String> unavailableGroups(Collection<NodeGroup> groups) {
        purge();
        Set<String> out = new TreeSet<>();
        if (marks.isEmpty()) {
            return out;
        }
        for (NodeGroup g : groups) {
            if (isUnavailable(Offering.of(g))) {
                out.add(g.name());
            }
        }
        return out;
    }

    /** The live marks, by offering. */
    public Map<Offering, Entry> marks() {
        purge();
        Map<Offering, Entry> out = new TreeMap<>(Comparator.comparing(Offering::toString));
        out.putAll(marks);
        return out;
    }

    /** Live marks counted by arch and capacity type, every pair listed (zero included) so a gauge falls back to 0. */
    public List<Count> counts() {
        Map<Offering, Entry> live = marks();
        List<Count> out = new ArrayList<>();
        for (Arch arch : Arch.values()) {
            for (CapacityType type : CapacityType.values()) {
                int n = (int) live.keySet().stream()
                        .filter(o -> o.arch() == arch && o.capacityType() == type).count();
                out.add(new Count(arch, type, n));
            }
        }
        return out;
    }

    private void purge() {
        Instant now = clock.instant();
        marks.values().removeIf(e -> !now.isBefore(e.until()));
    }
}
