package io.archscaler.cloud.aws;

import io.archscaler.scaler.model.Arch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceTypeLookupTest {

    @Test
    void orElseAsksTheNextLookupOnlyForTypesTheFirstDoesNotKnow() {
        List<String> askedSecond = new ArrayList<>();
        InstanceTypeLookup catalog = TestCatalog.lookup();
        InstanceTypeLookup second = type -> {
            askedSecond.add(type);
            return CompletableFuture.completedFuture(Optional.of(
                    new InstanceTypeFacts(type, Arch.ARM64, 8, 32768, 58, 0, 0.0)));
        };
        InstanceTypeLookup both = catalog.orElse(second);

        assertThat(both.facts("m7g.large").toCompletableFuture().join()).contains(TestCatalog.M7G_LARGE);
        assertThat(both.facts("m8g.2xlarge").toCompletableFuture().join()).map(InstanceTypeFacts::vcpu).contains(8);
        assertThat(askedSecond).containsExactly("m8g.2xlarge");
    }

    @Test
    void factsRefuseImpossibleFiguresNamingTheType() {
        assertThatThrownBy(() -> new InstanceTypeFacts("m7g.large", Arch.ARM64, 0, 8192, 29, 0, 0.08))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m7g.large").hasMessageContaining("vcpu=0");
    }
}
