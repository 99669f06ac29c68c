package io.archscaler.scaler.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Branch and bound over the pods, largest first: each pod goes into a node already opened or onto
 * a new node of a group that fits it (one new node per group is tried: they are all alike), a
 * group's first minSize nodes being paid for anyway. A branch is cut when its cost plus a bound on
 * what the pods left must add cannot beat the best placement found. Identical pods take nodes in
 * non-decreasing order, so their permutations are not searched again; once every pod left is alike
 * (the many replicas of one workload), their cheapest placement is worked out without branching.
 * Gives up after a number of steps.
 */
final class PlacementSearch {
    /** A cheapest placement: its cost and its nodes per group. */
    record Found(double perHour, Map<String, Integer> nodesByGroup) {
    }

    private static final double EPSILON = 1e-9;

    private final Problem p;
    private final long maxSteps;
    private final int n;
    private final int dims;
    /** Per pod position, the requests of it and the pods after it, summed. */
    private final long[][] need;
    /** Per pod position, the most and the least price per unit among the pods from there on. */
    private final double[][] maxUnit;
    private final double[][] minUnit;
    /** Per position and resource, the sum of requests × cheapest unit price of the pods from there on. */
    private final double[][] pricedNeed;
    /** Per position, whether the pods from there on are all alike. */
    private final boolean[] alikeFrom;

    private final List<long[]> used = new ArrayList<>();
    private final List<Integer> groupOf = new ArrayList<>();
    private final int[] opened;
    private final int[] binOf;
    private final long[] free;
    private long steps;
    private boolean gaveUp;
    private double best = Double.POSITIVE_INFINITY;
    private int[] bestOpened;

    PlacementSearch(Problem p, long maxSteps) {
        this.p = p;
        this.maxSteps = maxSteps;
        this.n = p.pods().size();
        this.dims = p.dimensions();
        this.need = new long[n + 1][dims];
        this.maxUnit = new double[n + 1][dims];
        this.minUnit = new double[n + 1][dims];
        this.pricedNeed = new double[n + 1][dims];
        this.alikeFrom = new boolean[n + 1];
        for (int r = 0; r < dims; r++) {
            minUnit[n][r] = Double.POSITIVE_INFINITY;
        }
        for (int i = n - 1; i >= 0; i--) {
            Problem.Pod pod = p.pods().get(i);
            for (int r = 0; r < dims; r++) {
                double unit = p.cheapestUnit(pod, r);
                need[i][r] = need[i + 1][r] + pod.requests()[r];
                maxUnit[i][r] = Math.max(maxUnit[i + 1][r], unit);
                minUnit[i][r] = Math.min(minUnit[i + 1][r], unit);
                pricedNeed[i][r] = pricedNeed[i + 1][r] + pod.requests()[r] * unit;
            }
            alikeFrom[i] = i == n - 1 || alikeFrom[i + 1] && pod.sameAs(p.pods().get(i + 1));
        }
        this.opened = new int[p.groups().size()];
        this.binOf = new int[n];
        this.free = new long[dims];
        for (int g = 0; g < p.groups().size(); g++) {
            addFree(g, Math.max(0, p.groups().get(g).group().minSize()), 1);
        }
    }

    /** The cheapest placement, or null when the search gave up before proving one cheapest. */
    Found run() {
        search(0, p.minSizeCost());
        if (gaveUp || bestOpened == null) {
            return null;
        }
        Map<String, Integer> nodes = new HashMap<>();
        for (int g = 0; g < bestOpened.length; g++) {
            int count = Math.max(bestOpened[g], p.groups().get(g).group().minSize());
            if (count > 0) {
                nodes.put(p.groups().get(g).group().name(), count);
            }
        }
        return new Found(best, nodes);
    }

    private void search(int i, double cost) {
        if (gaveUp || cost + bound(i) >= best - EPSILON) {
            return;
        }
        if (i == n) {
            best = cost;
            bestOpened = opened.clone();
            return;
        }
        if (++steps > maxSteps) {
            gaveUp = true;
            return;
        }
        if (alikeFrom[i]) {
            placeAlike(i, cost);
            return;
        }
        Problem.Pod pod = p.pods().get(i);
        int first = i > 0 && pod.sameAs(p.pods().get(i - 1)) ? binOf[i - 1] : 0;
        for (int b = first; b < used.size(); b++) {
            if (pod.fits(groupOf.get(b)) && fits(pod, used.get(b), groupOf.get(b))) {
                place(pod, b, 1);
                binOf[i] = b;
                search(i + 1, cost);
                place(pod, b, -1);
            }
        }
        for (int g = 0; g < p.groups().size(); g++) {
            Problem.Group group = p.groups().get(g);
            if (!pod.fits(g) || opened[g] >= group.group().maxSize() || !fits(pod, new long[dims], g)) {
                continue;
            }
            boolean paid = opened[g] >= group.group().minSize();
            open(g, paid);
            int b = used.size() - 1;
            place(pod, b, 1);
            binOf[i] = b;
            search(i + 1, cost + (paid ? group.price() : 0));
            place(pod, b, -1);
            close(g, paid);
        }
    }

    /**
     * The pods from {@code i} on are all alike, so where each goes does not matter, only how many
     * go where: the opened nodes take all their room allows (it is paid for), and new nodes the
     * rest, by the cheapest count of nodes per group: a small covering problem, solved by counts
     * (a group's nodes within minSize free, at most maxSize).
     */
    private void placeAlike(int i, double cost) {
        Problem.Pod pod = p.pods().get(i);
        int left = n - i;
        for (int b = 0; b < used.size() && left > 0; b++) {
            if (pod.fits(groupOf.get(b))) {
                left -= Math.min(left, room(pod, used.get(b), groupOf.get(b)));
            }
        }
        int groups = p.groups().size();
        // cheapest[j]: the least that new nodes taking at least j of the pods cost; nodes[j] how many per group
        double[] cheapest = new double[left + 1];
        int[][] nodes = new int[left + 1][groups];
        Arrays.fill(cheapest, Double.POSITIVE_INFINITY);
        cheapest[0] = 0;
        for (int g = 0; g < groups; g++) {
            Problem.Group group = p.groups().get(g);
            int perNode = pod.fits(g) ? room(pod, new long[dims], g) : 0;
            int canOpen = group.group().maxSize() - opened[g];
            if (perNode == 0 || canOpen <= 0) {
                continue;
            }
            int free = Math.max(0, group.group().minSize() - opened[g]);
            double[] before = cheapest.clone();
            int[][] nodesBefore = new int[left + 1][];
            for (int j = 0; j <= left; j++) {
                nodesBefore[j] = nodes[j].clone();
            }
            for (int j = 0; j <= left; j++) {
                for (int k = 1; k <= canOpen && !Double.isInfinite(before[j]); k++) {
                    int taken = (int) Math.min(left, j + (long) k * perNode);
                    double c = before[j] + Math.max(0, k - free) * group.price();
                    if (c < cheapest[taken] - EPSILON) {
                        cheapest[taken] = c;
                        nodes[taken] = nodesBefore[j].clone();
                        nodes[taken][g] += k;
                    }
                    if (taken == left) {
                        break;
                    }
                }
            }
        }
        if (cost + cheapest[left] < best - EPSILON) {
            best = cost + cheapest[left];
            bestOpened = opened.clone();
            for (int g = 0; g < groups; g++) {
                bestOpened[g] += nodes[left][g];
            }
        }
    }

    /** How many more of the pod a node of the group with {@code usedNow} takes. */
    private int room(Problem.Pod pod, long[] usedNow, int group) {
        long[] cap = p.groups().get(group).vector();
        long most = Long.MAX_VALUE;
        for (int r = 0; r < dims; r++) {
            if (pod.requests()[r] > 0) {
                most = Math.min(most, Math.max(0, cap[r] - usedNow[r]) / pod.requests()[r]);
            }
        }
        return (int) Math.min(n, most);
    }

    /**
     * What the pods from {@code i} on must add at least: for each resource, what does not fit the
     * free room of opened and minSize nodes, at the least price per unit; or all of it priced, less
     * the free room at the highest price per unit. The largest of these.
     */
    private double bound(int i) {
        double bound = 0;
        for (int r = 0; r < dims; r++) {
            long over = need[i][r] - free[r];
            if (over > 0) {
                bound = Math.max(bound, over * minUnit[i][r]);
            }
            bound = Math.max(bound, pricedNeed[i][r] - free[r] * maxUnit[i][r]);
        }
        return bound;
    }

    private boolean fits(Problem.Pod pod, long[] usedNow, int group) {
        long[] cap = p.groups().get(group).vector();
        for (int r = 0; r < dims; r++) {
            if (usedNow[r] + pod.requests()[r] > cap[r]) {
                return false;
            }
        }
        return true;
    }

    private void place(Problem.Pod pod, int bin, int sign) {
        long[] u = used.get(bin);
        for (int r = 0; r < dims; r++) {
            u[r] += sign * pod.requests()[r];
            free[r] -= sign * pod.requests()[r];
        }
    }

    /** A new node of the group; an unpaid one (within minSize) was already counted as free room. */
    private void open(int g, boolean paid) {
        used.add(new long[dims]);
        groupOf.add(g);
        opened[g]++;
        if (paid) {
            addFree(g, 1, 1);
        }
    }

    private void close(int g, boolean paid) {
        used.remove(used.size() - 1);
        groupOf.remove(groupOf.size() - 1);
        opened[g]--;
        if (paid) {
            addFree(g, 1, -1);
        }
    }

    private void addFree(int g, int nodes, int sign) {
        long[] cap = p.groups().get(g).vector();
        for (int r = 0; r < dims; r++) {
            free[r] += sign * (long) nodes * cap[r];
        }
    }
}
