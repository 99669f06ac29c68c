package io.archscaler.cloud.aws;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock server on a free loopback port that answers as EKS (REST-JSON), EC2 and Auto
 * Scaling (Query protocol: form-encoded POST to {@code /}, XML answers), with real SDK clients
 * pointed at it through {@code endpointOverride} and fake static credentials; the application's
 * tests point {@code aws.endpoints} at {@link #url()} instead ({@link #awsBlock()}). The answers'
 * bodies are built by {@code EksJson}, {@code Ec2Xml} and {@code AsgXml}.
 */
public final class AwsWireMock implements AutoCloseable, AfterAllCallback, BeforeEachCallback {
    public static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static final String AUTOSCALING_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    /** Credentials that exist only in the test JVM; the stub does not check signatures. */
    public static final AwsCredentialsProvider FAKE_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "fake-secret"));
    private final WireMockServer server;
    private final AwsClients clients;

    private AwsWireMock() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        clients = new AwsClients(AwsClientConfig.allAt("us-west-2", URI.create(url())), FAKE_CREDENTIALS);
    }

    public static AwsWireMock start() {
        return new AwsWireMock();
    }

    public WireMockServer server() {
        return server;
    }

    public AwsClients clients() {
        return clients;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** An {@code aws:} config block sending every service here. */
    public String awsBlock() {
        return "aws:\n  region: us-west-2\n  endpoints: {eks: \"" + url() + "\", ec2: \"" + url()
                + "\", autoscaling: \"" + url() + "\"}\n";
    }

    public void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    public void reset() {
        server.resetAll();
    }

    /** As a JUnit extension ({@code @RegisterExtension static}): fresh stubs per test, stopped after the class. */
    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A stub for one Query-protocol action (EC2 or Auto Scaling). */
    public static MappingBuilder action(String action) {
        return post(urlEqualTo("/")).withFormParam("Action", equalTo(action));
    }

    public static ResponseDefinitionBuilder xml(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(body);
    }

    /** EC2's error shape: {@code <Response><Errors><Error><Code>…}. */
    public static ResponseDefinitionBuilder ec2Error(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                        + message + "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID>"
                        + "</Response>");
    }

    /** The Query protocol's error shape as Auto Scaling sends it: {@code <ErrorResponse><Error><Type>…}. */
    public static ResponseDefinitionBuilder autoScalingError(int status, String type, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(
                "<ErrorResponse xmlns=\"" + AUTOSCALING_NS + "\"><Error><Type>" + type + "</Type><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error>"
                        + "<RequestId>6f2b5e1c-0d5e-4c1a-9d0e-example</RequestId></ErrorResponse>");
    }

    /** An EKS (REST-JSON) error: the code in {@code x-amzn-ErrorType}, the message in the body. */
    public static ResponseDefinitionBuilder eksError(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazonaws.eks/")
                .withBody("{\"message\":\"" + message + "\"}");
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The form parameters of every Query request for {@code action}, oldest first. */
    public List<Map<String, String>> requests(String action) {
        return logged(action).stream().map(r -> form(r.getBodyAsString())).toList();
    }

    /** Every Query request for {@code action} as WireMock logged it (with when it came), oldest first. */
    public List<LoggedRequest> logged(String action) {
        return sorted(server.findAll(postRequestedFor(urlEqualTo("/")).withFormParam("Action", equalTo(action))));
    }

    /** The EKS (REST-JSON) GETs that reached the server on this path, oldest first. */
    public List<LoggedRequest> eksGets(String path) {
        return sorted(server.findAll(getRequestedFor(urlPathEqualTo(path))));
    }

    /** The EKS (REST-JSON) POSTs that reached the server on this path, oldest first. */
    public List<LoggedRequest> eksPosts(String path) {
        return sorted(server.findAll(postRequestedFor(urlPathEqualTo(path))));
    }

    private static List<LoggedRequest> sorted(List<LoggedRequest> requests) {
        return requests.stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    /** How many Query requests of any action reached the server. */
    public int queryRequestCount() {
        return server.findAll(postRequestedFor(urlEqualTo("/"))).size();
    }

    public static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        clients.close();
        server.stop();
    }
}
