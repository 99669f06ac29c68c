package io.archscaler.testing;

import org.junit.jupiter.params.provider.ArgumentsSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The seeds a {@code @ParameterizedTest} property runs over, one try each: {@code @Seeds(400) void p(long seed)}.
 * See {@link SeedSource} for how they are drawn and how one is replayed.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ArgumentsSource(SeedSource.class)
public @interface Seeds {
    /** How many seeds, so how many tries. */
    int value();
}
