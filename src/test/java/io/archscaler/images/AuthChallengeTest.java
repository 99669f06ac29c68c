package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void readsDockerHubBearerChallenge() {
        List<AuthChallenge> challenges = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\""));
        assertThat(challenges).containsExactly(new AuthChallenge("bearer", Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:library/nginx:pull")));
    }

    @Test
    void readsBasicChallengeAndUnquotedValues() {
        assertThat(AuthChallenge.parse(List.of("Basic realm=\"Registry Realm\"", "Bearer realm=https://r.example/token, service=r")))
                .containsExactly(
                        new AuthChallenge("basic", Map.of("realm", "Registry Realm")),
                        new AuthChallenge("bearer", Map.of("realm", "https://r.example/token", "service", "r")));
    }

    @Test
    void readsSeveralChallengesInOneHeader() {
        assertThat(AuthChallenge.parse(List.of("Basic realm=\"a, b\", Bearer realm=\"https://t\",scope=\"repository:x:pull\"")))
                .containsExactly(
                        new AuthChallenge("basic", Map.of("realm", "a, b")),
                        new AuthChallenge("bearer", Map.of("realm", "https://t", "scope", "repository:x:pull")));
    }
}
