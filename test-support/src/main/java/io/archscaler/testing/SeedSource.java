package io.archscaler.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.support.ParameterDeclarations;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Draws a property's seeds from its class's base seed, which is new each run and printed once per
 * class. {@code -Darchscaler.seed=N} replays exactly one seed (the one a failure names);
 * {@code -Darchscaler.baseSeed=N} replays a whole run of the class.
 */
final class SeedSource extends AnnotationBasedArgumentsProvider<Seeds> {
    static final String REPLAY = "archscaler.seed";
    static final String BASE = "archscaler.baseSeed";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SeedSource.class);

    @Override
    protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context,
                                                           Seeds seeds) {
        ExtensionContext owner = context.getParent().orElse(context);
        long base = owner.getStore(NAMESPACE).computeIfAbsent("base", k -> announce(owner), Long.class);
        String replay = System.getProperty(REPLAY);
        if (replay != null) {
            return Stream.of(Arguments.of(parse(REPLAY, replay)));
        }
        // each property its own stream, so adding a property to a class does not change the others' seeds
        SplittableRandom stream = new SplittableRandom(base ^ context.getRequiredTestMethod().getName().hashCode());
        return stream.longs(seeds.value()).mapToObj(Arguments::of);
    }

    private static long announce(ExtensionContext owner) {
        String replay = System.getProperty(REPLAY);
        String fixed = System.getProperty(BASE);
        long base = fixed != null ? parse(BASE, fixed) : ThreadLocalRandom.current().nextLong();
        System.out.println(owner.getDisplayName() + ": " + (replay != null ? "replaying the one seed " + replay
                : "base seed " + base + " (-D" + BASE + "=" + base + " replays this run, -D" + REPLAY
                        + "=N one try)"));
        return base;
    }

    private static long parse(String property, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + " must be a long, not \"" + value + "\"", e);
        }
    }
}
