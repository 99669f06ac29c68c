package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.ProviderException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterApiErrorsTest {

    @ParameterizedTest(name = "HTTP {0} -> {1}, retryable={2}")
    @CsvSource({
            "409, 409, true",
            "429, 429, true",
            "500, 500, true",
            "503, 503, true",
            "400, 400, false",
            "401, 401, false",
            "403, 403, false",
            "422, 422, false",
            "0, Unreachable, true",
    })
    void statusMapsToCloudApiExceptionWithTheStatusAsCode(int status, String code, boolean retryable) {
        KubernetesClientException k = new KubernetesClientException("failure", status,
                new StatusBuilder().withCode(status).withMessage("server said no").build());

        ProviderException mapped = ClusterApiErrors.map(new CompletionException(k), "clusterapi", "increaseSize", "fleet/arm");

        assertThat(mapped).isInstanceOfSatisfying(CloudApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.reason()).isEqualTo(code);
            assertThat(e.retryable()).isEqualTo(retryable);
            assertThat(e.operation()).isEqualTo("increaseSize");
            assertThat(e).hasCause(k);
        });
    }

    @ParameterizedTest(name = "404 with group {0}")
    @CsvSource({"fleet/arm, NodeGroupNotFoundException", "'', CloudApiException"})
    void notFoundIsNodeGroupNotFoundOnlyWhenTheCallNamesAGroup(String group, String type) {
        KubernetesClientException k = new KubernetesClientException("missing", 404, null);

        ProviderException mapped = ClusterApiErrors.map(k, "clusterapi", "op", group.isEmpty() ? null : group);

        assertThat(mapped.getClass().getSimpleName()).isEqualTo(type);
        assertThat(mapped.retryable()).isFalse();
        if (mapped instanceof NodeGroupNotFoundException) {
            assertThat(mapped).hasMessageContaining("fleet/arm");
        }
    }
}
