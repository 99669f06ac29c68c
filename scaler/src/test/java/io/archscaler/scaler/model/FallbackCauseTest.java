package io.archscaler.scaler.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The causes' labels are the metrics contract's values, and the strongest cause names a fallback. */
class FallbackCauseTest {
    @Test
    void labelsAreTheReasonValuesTheMetricsContractDocuments() {
        assertThat(Arrays.stream(FallbackCause.values()).map(FallbackCause::label))
                .containsExactly("circuit_open", "backoff", "offering_unavailable", "max_size", "cluster_limit", "no_fit");
    }

    @Test
    void theStrongerCauseWinsWhicheverComesFirst() {
        assertThat(FallbackCause.strongest(FallbackCause.NO_FIT, FallbackCause.BACKOFF)).isEqualTo(FallbackCause.BACKOFF);
        assertThat(FallbackCause.strongest(FallbackCause.BACKOFF, FallbackCause.NO_FIT)).isEqualTo(FallbackCause.BACKOFF);
        assertThat(FallbackCause.strongest(FallbackCause.CLUSTER_LIMIT, FallbackCause.CIRCUIT_OPEN))
                .isEqualTo(FallbackCause.CIRCUIT_OPEN);
        assertThat(FallbackCause.strongest(null, FallbackCause.MAX_SIZE)).isEqualTo(FallbackCause.MAX_SIZE);
        assertThat(FallbackCause.strongest(FallbackCause.MAX_SIZE, null)).isEqualTo(FallbackCause.MAX_SIZE);
    }
}
