package io.archscaler.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.eks.EksJson;
import io.archscaler.images.FakeRegistry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.archscaler.cloud.aws.AwsWireMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a running controller shows the world: its HTTP endpoints only read (anything but GET or
 * HEAD gets 405, the webhook takes only POST), and no credential it was given (AWS keys from the
 * environment, a registry pull secret) ever reaches a log line, a Kubernetes Event, the status
 * ConfigMap, {@code /status}, {@code /metrics} or a decision.
 */
class SecurityIT {
    private static final String ACCESS_KEY_ID = "AKIAFAKELEAKTEST0042";
    private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/LEAKTEST+fakeSecretKey42";
    private static final String PULL_USER = "robot-leaktest";
    private static final String PULL_PASSWORD = "pullPassw0rd-LEAKTEST-9f8e7d";

    @Test
    void httpEndpointsOnlyReadAndTheWebhookOnlyTakesPost() throws Exception {
        String yaml = FaultHarness.Setup.single("300ms", 5).withExtra("webhook: {enabled: true}").yaml();
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), yaml)) {
            FaultHarness.Replica c = h.start("c0");
            List<String> paths = List.of("/metrics", "/healthz", "/readyz", "/status", "/no-such-page", "/mutate-pods");
            List<String> methods = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");
            Map<String, Integer> answered = new LinkedHashMap<>();
            List<String> wrong = new ArrayList<>();
            for (String path : paths) {
                for (String method : methods) {
                    HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri(path))
                            .method(method, HttpRequest.BodyPublishers.noBody()).build());
                    answered.put(method + " " + path, r.statusCode());
                    boolean webhook = path.equals("/mutate-pods");
                    boolean reads = method.equals("GET") || method.equals("HEAD");
                    boolean allowed = webhook ? method.equals("POST") : reads;
                    if (!allowed && (r.statusCode() != 405
                            || !r.headers().firstValue("Allow").orElse("").equals(webhook ? "POST" : "GET, HEAD"))) {
                        wrong.add(method + " " + path + " -> " + r.statusCode());
                    }
                    if (allowed && r.statusCode() == 405) {
                        wrong.add(method + " " + path + " -> 405");
                    }
                }
            }
            long refused = answered.values().stream().filter(code -> code == 405).count();
            ReliabilityLog.write(new ReliabilityLog.Check("http-methods", "HTTP endpoints read-only",
                    methods.size() + " methods on " + String.join(", ", paths) + " of a running controller "
                            + "(webhook on the plain port)",
                    answered.size(), wrong.size(),
                    refused + " requests refused with 405 and an Allow header; GET/HEAD read; the webhook takes POST only"
                            + (wrong.isEmpty() ? "" : "; WRONG: " + wrong)));

            assertThat(wrong).isEmpty();
            assertThat(answered).containsEntry("GET /status", 200).containsEntry("GET /metrics", 200)
                    .containsEntry("HEAD /healthz", 200).containsEntry("POST /status", 405)
                    .containsEntry("DELETE /metrics", 405).containsEntry("GET /mutate-pods", 405);
            assertThat(answered.get("POST /mutate-pods")).isNotEqualTo(405);
        }
    }

    @Test
    void noCredentialReachesALogLineAnEventTheStatusOrTheMetrics() throws Exception {
        String oldKey = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        CapturingAppender captured = new CapturingAppender();
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger ours = logging.getLogger("io.archscaler");
        Level rootLevel = root.getLevel();
        Level ourLevel = ours.getLevel();
        System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", SECRET_ACCESS_KEY);
        // more than production logs: every library at INFO, Archscaler at DEBUG
        root.setLevel(Level.INFO);
        ours.setLevel(Level.DEBUG);
        captured.setContext(logging);
        captured.start();
        root.addAppender(captured);
        try (AwsWireMock aws = AwsWireMock.start(); FakeRegistry registry = new FakeRegistry()) {
            String basic = Base64.getEncoder().encodeToString((PULL_USER + ":" + PULL_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            privateImage(registry, basic);
            eksGroup(aws);
            String yaml = """
                    cluster: test
                    nodeGroups:
                      - name: arm
                        provider: eks
                        instanceType: m7g.large
                        maxSize: 5
                        eks: {clusterName: prod, nodegroupName: arm-ng}
                      - name: x86
                        provider: simulated
                        instanceType: m6i.large
                        maxSize: 5
                        simulated: {registrationDelay: 300ms}
                    scaleUp: {batchIdle: 200ms, batchMax: 1s}
                    leaderElection: {enabled: true, namespace: archscaler, leaseName: test, leaseDuration: 4s,
                                     renewDeadline: 3s, retryPeriod: 500ms}
                    images: {resolve: true}
                    """ + aws.awsBlock();
            try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), yaml).withScheduler()) {
                String dockerConfig = "{\"auths\":{\"" + registry.host() + "\":{\"username\":\"" + PULL_USER
                        + "\",\"password\":\"" + PULL_PASSWORD + "\",\"auth\":\"" + basic + "\"}}}";
                h.client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                        .withName("regcred").withNamespace("default").endMetadata()
                        .withType("kubernetes.io/dockerconfigjson")
                        .addToData(".dockerconfigjson", Base64.getEncoder().encodeToString(
                                dockerConfig.getBytes(StandardCharsets.UTF_8))).build()).create();
                FaultHarness.Replica c = h.start("c0");
                // a pod of a private amd64-only image: planned on amd64 only if the pull secret was read and used
                Pod privatePod = FaultHarness.pod("private", "private-000", "250m", "5Gi", Map.of());
                privatePod.getSpec().getContainers().get(0).setImage(registry.host() + "/private/app:1.0");
                privatePod.getSpec().setImagePullSecrets(List.of(new io.fabric8.kubernetes.api.model
                        .LocalObjectReference("regcred")));
                h.client.pods().inNamespace("default").resource(privatePod).create();
                // and pods of a public multi-arch image: planned on the EKS group, so AWS is called and signed for
                registry.multiArch("public/web", "2.0");
                for (Pod p : FaultHarness.pods("web", 2, "250m", "5Gi", Map.of())) {
                    p.getSpec().getContainers().get(0).setImage(registry.host() + "/public/web:2.0");
                    h.client.pods().inNamespace("default").resource(p).create();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> h.scaleUps("x86").size() == 1
                        && h.scaleUps("arm").size() == 1);
                await().atMost(Duration.ofSeconds(20)).until(() -> !h.client.configMaps().inNamespace("archscaler")
                        .list().getItems().isEmpty());

                Map<String, String> outputs = new LinkedHashMap<>();
                outputs.put("log lines", String.join("\n", captured.lines));
                outputs.put("Kubernetes Events", events(h));
                outputs.put("ConfigMaps", configMaps(h));
                outputs.put("/status", c.get("/status").body());
                outputs.put("/metrics", c.get("/metrics").body());
                outputs.put("decisions", String.join("\n", h.decisions.stream().map(d -> d.toJson("test").encode()).toList()));
                List<String> secrets = List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY, PULL_PASSWORD, basic,
                        Base64.getEncoder().encodeToString(dockerConfig.getBytes(StandardCharsets.UTF_8)));
                List<String> leaks = new ArrayList<>();
                outputs.forEach((where, text) -> secrets.forEach(s -> {
                    if (text.contains(s)) {
                        leaks.add(where + " holds " + s.substring(0, 6) + "…");
                    }
                }));
                long signedByKey = aws.server().getAllServeEvents().stream().filter(e -> String.valueOf(
                        e.getRequest().getHeader("Authorization")).contains("Credential=" + ACCESS_KEY_ID)).count();
                int bytes = outputs.values().stream().mapToInt(String::length).sum();
                ReliabilityLog.write(new ReliabilityLog.Check("secrets-in-output",
                        "No credential in any output",
                        "aws.accessKeyId/aws.secretAccessKey set in the test JVM; a kubernetes.io/dockerconfigjson "
                                + "Secret used by a pod of a private image (registry asks for Basic auth); logs at "
                                + "INFO (Archscaler DEBUG) captured; Events, ConfigMaps, /status, /metrics, decisions read",
                        (long) secrets.size() * outputs.size(), leaks.size(),
                        leaks.isEmpty() ? "no secret string in " + bytes + " characters of output; the keys signed "
                                + signedByKey + " AWS requests and the pull secret opened the private image"
                                : "LEAKED: " + leaks));

                assertThat(signedByKey).as("the AWS SDK used the keys from the environment").isPositive();
                registry.server.verify(getRequestedFor(urlMatching("/v2/private/app/manifests/.*"))
                        .withHeader("Authorization", equalTo("Basic " + basic)));
                assertThat(h.scaleUps("x86").get(0).pods()).containsExactly("default/private-000");
                assertThat(captured.lines).as("something was logged").isNotEmpty();
                assertThat(leaks).isEmpty();
            }
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootLevel);
            ours.setLevel(ourLevel);
            restore("aws.accessKeyId", oldKey);
            restore("aws.secretAccessKey", oldSecret);
        }
    }

    /** The private image answers only to the pull secret's Basic credentials. */
    private static void privateImage(FakeRegistry registry, String basic) {
        registry.amd64Only("private/app", "1.0");
        registry.server.stubFor(get(urlMatching("/v2/private/.*")).atPriority(1)
                .withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"leaktest\"")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
    }

    /** An EKS managed node group whose desired size follows the update asked for. */
    private static void eksGroup(AwsWireMock aws) {
        String path = "/clusters/prod/node-groups/arm-ng";
        aws.stub(get(urlPathEqualTo(path)).inScenario("eks").whenScenarioStateIs(STARTED).willReturn(json(
                EksJson.activeNodegroup("arm-ng", "AL2023_ARM_64_STANDARD", "m7g.large").sizes(0, 5, 0).json())));
        aws.stub(post(urlPathEqualTo(path + "/update-config")).inScenario("eks").willSetStateTo("scaled")
                .willReturn(json(EksJson.update(2))));
        aws.stub(get(urlPathEqualTo(path)).inScenario("eks").whenScenarioStateIs("scaled").willReturn(json(
                EksJson.activeNodegroup("arm-ng", "AL2023_ARM_64_STANDARD", "m7g.large").sizes(0, 5, 2).json())));
    }

    private static String events(FaultHarness h) {
        StringBuilder out = new StringBuilder();
        for (Event e : h.client.v1().events().inAnyNamespace().list().getItems()) {
            out.append(e.getReason()).append(' ').append(e.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static String configMaps(FaultHarness h) {
        StringBuilder out = new StringBuilder();
        for (ConfigMap m : h.client.configMaps().inAnyNamespace().list().getItems()) {
            out.append(m.getData()).append('\n');
        }
        return out.toString();
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** Keeps every log line with its exception, formatted as an appender would write it. */
    private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getLoggerName() + " " + event.getFormattedMessage();
            if (event.getThrowableProxy() != null) {
                line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            }
            lines.add(line);
        }
    }
}
