package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archscaler.images.RegistryCredentials.Credential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryCredentialsTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthAsBase64OfUserColonPassword() throws Exception {
        RegistryCredentials c = RegistryCredentials.fromDockerConfigJson(
                "{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"" + b64("robot$ci:s3cr:et") + "\"}}}");
        assertThat(c.forRegistry("registry.example.com:5000")).contains(new Credential("robot$ci", "s3cr:et"));
        assertThat(c.forRegistry("registry.example.com")).isEmpty();
    }

    @Test
    void readsUsernameAndPasswordFields() throws Exception {
        RegistryCredentials c = RegistryCredentials.fromDockerConfigJson(
                "{\"auths\":{\"ghcr.io\":{\"username\":\"octocat\",\"password\":\"ghp_token\",\"email\":\"o@example.com\"}}}");
        assertThat(c.forRegistry("ghcr.io")).contains(new Credential("octocat", "ghp_token"));
    }

    @Test
    void dockerHubKeysInAnyFormMatchTheRegistryApiHost() throws Exception {
        RegistryCredentials c = RegistryCredentials.fromDockerConfigJson(
                "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("me:pw") + "\"}}}");
        assertThat(c.forRegistry(ImageReference.DOCKER_HUB)).contains(new Credential("me", "pw"));
        assertThat(c.forRegistry("docker.io")).contains(new Credential("me", "pw"));
    }

    @Test
    void readsLegacyDockercfgWithoutAuthsWrapper() throws Exception {
        RegistryCredentials c = RegistryCredentials.fromDockerConfigJson(
                "{\"quay.io\":{\"auth\":\"" + b64("bot:pw") + "\",\"email\":\"\"}}");
        assertThat(c.forRegistry("quay.io")).contains(new Credential("bot", "pw"));
    }

    @Test
    void wildcardMatchesOneLabel() throws Exception {
        RegistryCredentials c = RegistryCredentials.of(Map.of("*.registry.example.com", new Credential("u", "p")));
        assertThat(c.forRegistry("eu.registry.example.com")).contains(new Credential("u", "p"));
        assertThat(c.forRegistry("a.b.registry.example.com")).isEmpty();
        assertThat(c.forRegistry("registry.example.com")).isEmpty();
    }

    @Test
    void mergeKeepsTheFirstCredentialForAHost() {
        RegistryCredentials first = RegistryCredentials.of(Map.of("ghcr.io", new Credential("a", "1")));
        RegistryCredentials second = RegistryCredentials.of(Map.of("ghcr.io", new Credential("b", "2"),
                "quay.io", new Credential("c", "3")));
        RegistryCredentials merged = first.merge(second);
        assertThat(merged.forRegistry("ghcr.io")).contains(new Credential("a", "1"));
        assertThat(merged.forRegistry("quay.io")).contains(new Credential("c", "3"));
    }

    @Test
    void neverPrintsPasswords() throws Exception {
        RegistryCredentials c = RegistryCredentials.fromDockerConfigJson(
                "{\"auths\":{\"ghcr.io\":{\"username\":\"octocat\",\"password\":\"ghp_secret\"}}}");
        assertThat(c.toString()).doesNotContain("ghp_secret").contains("ghcr.io");
        assertThat(c.forRegistry("ghcr.io").orElseThrow().toString()).doesNotContain("ghp_secret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json                                      | pull secret is not JSON
            []                                            | pull secret is not a JSON object
            {"auths":[]}                                  | pull secret: auths is not an object
            {"auths":{"ghcr.io":"x"}}                     | pull secret: auths.ghcr.io is not an object
            {"auths":{"ghcr.io":{"email":"a@b"}}}         | pull secret: auths.ghcr.io has neither auth nor username and password
            {"auths":{"ghcr.io":{"auth":"%%%"}}}          | pull secret: auths.ghcr.io.auth is not base64
            {"auths":{"ghcr.io":{"auth":"bm9jb2xvbg=="}}} | pull secret: auths.ghcr.io.auth is not base64 of user:password
            """)
    void refusesUnreadableSecretsNamingTheProblem(String json, String problem) {
        assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson(json))
                .isInstanceOf(InvalidPullSecretException.class).hasMessage(problem);
    }
}
