package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String DIGEST = "sha256:0f5ab2b4b3e0f0c1a4d0e1e4b7c1fd1e9a3b3c2d3c9f0d2e6a1c5e4b7f8a9b0c";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            nginx                                   | registry-1.docker.io/library/nginx:latest
            nginx:1.27                              | registry-1.docker.io/library/nginx:1.27
            library/nginx                           | registry-1.docker.io/library/nginx:latest
            bitnami/redis:7.2                       | registry-1.docker.io/bitnami/redis:7.2
            docker.io/nginx                         | registry-1.docker.io/library/nginx:latest
            docker.io/x/y                           | registry-1.docker.io/x/y:latest
            index.docker.io/x/y:2                   | registry-1.docker.io/x/y:2
            registry-1.docker.io/library/nginx:latest | registry-1.docker.io/library/nginx:latest
            ghcr.io/org/app:1.2                     | ghcr.io/org/app:1.2
            public.ecr.aws/eks/aws-load-balancer-controller:v2.7.1 | public.ecr.aws/eks/aws-load-balancer-controller:v2.7.1
            123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:2024.06 | 123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:2024.06
            localhost/app                           | localhost/app:latest
            localhost:5000/app                      | localhost:5000/app:latest
            Registry.Example.com/app                | registry.example.com/app:latest
            [::1]:5000/app:dev                      | [::1]:5000/app:dev
            quay.io/prometheus/node-exporter:v1.8.1 | quay.io/prometheus/node-exporter:v1.8.1
            app_name/sub__part/x-y.z:v1.0-rc.1_b    | registry-1.docker.io/app_name/sub__part/x-y.z:v1.0-rc.1_b
            """)
    void normalisesLikeContainerRuntimes(String given, String normalised) throws Exception {
        assertThat(ImageReference.parse(given)).hasToString(normalised);
    }

    @Test
    void digestPinnedReferenceWithoutTagIsPulledByDigest() throws Exception {
        ImageReference ref = ImageReference.parse("host:5000/app@" + DIGEST);
        assertThat(ref.registry()).isEqualTo("host:5000");
        assertThat(ref.repository()).isEqualTo("app");
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo(DIGEST);
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
        assertThat(ref).hasToString("host:5000/app@" + DIGEST);
    }

    @Test
    void digestPinnedReferenceWithTagKeepsBothAndIsPulledByDigest() throws Exception {
        ImageReference ref = ImageReference.parse("app:1.0@" + DIGEST);
        assertThat(ref).isEqualTo(new ImageReference("registry-1.docker.io", "library/app", "1.0", DIGEST));
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
        assertThat(ref).hasToString("registry-1.docker.io/library/app:1.0@" + DIGEST);
    }

    @Test
    void tagIsAskedForWhenThereIsNoDigest() throws Exception {
        assertThat(ImageReference.parse("ghcr.io/org/app:1.2").manifestReference()).isEqualTo("1.2");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                 | empty reference
            https://ghcr.io/org/app            | a reference has no URL scheme
            Nginx                              | repository name must be lowercase
            ghcr.io/Org/app                    | repository name must be lowercase
            app:                               | malformed tag ""
            app:-bad                           | malformed tag "-bad"
            app@sha256:abc                     | malformed digest "sha256:abc"
            app@sha256:0F5AB2B4B3E0F0C1A4D0E1E4B7C1FD1E9A3B3C2D3C9F0D2E6A1C5E4B7F8A9B0C | a sha256 digest is 64 lowercase hex digits
            ghcr.io//app                       | empty path component in "/app"
            ghcr.io/app/                       | empty path component in "app/"
            host:99999/app                     | malformed registry port in "host:99999"
            -bad.example.com/app               | malformed registry host "-bad.example.com"
            ghcr.io/org/app..x                 | malformed repository path component "app..x"
            """)
    void refusesInvalidReferencesNamingTheProblem(String given, String problem) {
        assertThatThrownBy(() -> ImageReference.parse(given))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessage("invalid image reference \"" + given + "\": " + problem)
                .extracting(e -> ((InvalidImageReferenceException) e).problem()).isEqualTo(problem);
    }

    @Test
    void refusesNamesLongerThan255Characters() {
        String longName = "ghcr.io/" + "a".repeat(250);
        assertThatThrownBy(() -> ImageReference.parse(longName))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageEndingWith("name longer than 255 characters");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            docker.io                    | registry-1.docker.io
            https://index.docker.io/v1/  | registry-1.docker.io
            Quay.IO                      | quay.io
            https://host:5000            | host:5000
            """)
    void canonicalHostFoldsDockerHubAliasesAndUrls(String given, String host) {
        assertThat(ImageReference.canonicalHost(given)).isEqualTo(host);
    }
}
