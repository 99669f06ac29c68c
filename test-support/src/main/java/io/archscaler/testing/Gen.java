package io.archscaler.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Random test inputs drawn from one seed, so the seed alone replays them: numbers in ranges,
 * picks, strings, bytes, lists and maps. Sizes lean small, as short inputs and empty ones reach
 * a parser's corner cases more often than long ones.
 */
public final class Gen {
    private final SplittableRandom random;

    public Gen(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A number from {@code min} to {@code max}, both included. */
    public int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /** Any long, the extremes included. */
    public long anyLong() {
        return random.nextLong();
    }

    /** A finite double: half plain fractions and magnitudes, half any bit pattern (subnormals, huge exponents). */
    public double anyFiniteDouble() {
        if (random.nextBoolean()) {
            return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-6, 12));
        }
        double any;
        do {
            any = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(any));
        return any;
    }

    /** A size from 0 to {@code max}: half of them uniform, half below a uniform bound, so small ones likelier. */
    public int size(int max) {
        return random.nextBoolean() ? random.nextInt(max + 1) : random.nextInt(random.nextInt(max + 1) + 1);
    }

    /** One of the items, each as likely. */
    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** One of the items, each as likely. */
    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    /** The value of one of the choices, each as likely. */
    @SafeVarargs
    public final <T> T oneOf(Supplier<? extends T>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    /** Up to {@code maxLength} bytes, any values. */
    public byte[] bytes(int maxLength) {
        byte[] out = new byte[size(maxLength)];
        random.nextBytes(out);
        return out;
    }

    /**
     * Up to {@code maxLength} characters: printable ASCII, control characters and any UTF-16 unit,
     * lone surrogates included, as text from the wire can hold.
     */
    public String string(int maxLength) {
        StringBuilder out = new StringBuilder();
        for (int n = size(maxLength); n > 0; n--) {
            int kind = random.nextInt(20);
            out.append(kind < 9 ? (char) random.nextInt(0x20, 0x7F)
                    : kind < 11 ? (char) (random.nextBoolean() ? random.nextInt(0x20) : 0x7F)
                    : (char) random.nextInt(0x10000));
        }
        return out.toString();
    }

    /** Up to {@code maxLength} characters from the alphabet. */
    public String string(String alphabet, int maxLength) {
        StringBuilder out = new StringBuilder();
        for (int n = size(maxLength); n > 0; n--) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** From {@code minSize} to {@code maxSize} items, each made anew. */
    public <T> List<T> list(int minSize, int maxSize, Supplier<? extends T> item) {
        List<T> out = new ArrayList<>();
        for (int n = minSize + size(maxSize - minSize); n > 0; n--) {
            out.add(item.get());
        }
        return out;
    }

    /** Up to {@code maxSize} entries; a key drawn twice keeps its last value, so a map may come out smaller. */
    public <K, V> Map<K, V> map(int maxSize, Supplier<? extends K> key, Supplier<? extends V> value) {
        Map<K, V> out = new LinkedHashMap<>();
        for (int n = size(maxSize); n > 0; n--) {
            out.put(key.get(), value.get());
        }
        return out;
    }
}
