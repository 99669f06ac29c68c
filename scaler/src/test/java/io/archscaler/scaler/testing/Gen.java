package io.archscaler.scaler.testing;

import java.util.SplittableRandom;

/**
 * Random strings drawn from one seed, so the seed alone replays them. A cut-down copy of the
 * application module's {@code io.archscaler.testing.Gen}: the modules share no test code.
 * Lengths lean small, as short inputs and empty ones reach a parser's corner cases more often
 * than long ones.
 */
public final class Gen {
    private final SplittableRandom random;

    public Gen(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A size from 0 to {@code max}: half of them uniform, half below a uniform bound, so small ones likelier. */
    public int size(int max) {
        return random.nextBoolean() ? random.nextInt(max + 1) : random.nextInt(random.nextInt(max + 1) + 1);
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
}
