package io.archscaler.scaler;

import java.util.ArrayList;
import java.util.List;

/**
 * Nodes in first-fit order, as runs of identical free room. Runs that can no longer take even
 * the smallest pod still to be placed are dropped as they are passed, so later scans stay short.
 */
final class BinList {
    private final ArrayList<Bin> bins = new ArrayList<>();

    static BinList of(Bin run) {
        BinList list = new BinList();
        if (run.count > 0) {
            list.bins.add(run);
        }
        return list;
    }

    /**
     * Places up to {@code wanted} pods of the demand first-fit over the runs; returns how many it
     * placed. {@code floor} is a demand no bigger than any pod still to come.
     */
    long fill(Demand d, long wanted, Demand floor) {
        long placed = 0;
        int kept = 0;
        int i = 0;
        List<Bin> split = List.of();
        while (i < bins.size() && placed < wanted) {
            Bin b = bins.get(i++);
            long each = b.fits(d);
            if (each > 0) {
                long left = wanted - placed;
                if (left / each >= b.count) {
                    b.take(d, each);
                    placed += each * b.count;
                } else {
                    split = split(b, d, each, left, floor);
                    placed = wanted;
                    continue;
                }
            }
            if (b.fits(floor) > 0) {
                bins.set(kept++, b);
            }
        }
        if (kept < i) {
            bins.subList(kept, i).clear();
        }
        if (!split.isEmpty()) {
            bins.addAll(kept, split);
        }
        return placed;
    }

    /** Fills the first {@code left / each} nodes of the run, one more with the rest, leaves the others. */
    private static List<Bin> split(Bin b, Demand d, long each, long left, Demand floor) {
        long full = left / each;
        long rest = left % each;
        List<Bin> parts = new ArrayList<>(3);
        if (full > 0) {
            Bin head = b.copy(full);
            head.take(d, each);
            parts.add(head);
        }
        if (rest > 0) {
            Bin one = b.copy(1);
            one.take(d, rest);
            parts.add(one);
        }
        b.count -= full + (rest > 0 ? 1 : 0);
        if (b.count > 0) {
            parts.add(b);
        }
        parts.removeIf(p -> p.fits(floor) == 0);
        return parts;
    }

    /** Adds a run at the end unless it is too full for any pod still to come. */
    void append(Bin b, Demand floor) {
        if (b.fits(floor) > 0) {
            bins.add(b);
        }
    }
}
