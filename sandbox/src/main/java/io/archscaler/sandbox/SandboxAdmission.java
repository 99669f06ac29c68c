package io.archscaler.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.json.JsonObject;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * The sandbox's stand-in for the API server's admission chain: sends each new pod to the
 * placement webhook as an {@code admission.k8s.io/v1} AdmissionReview and applies the JSON Patch
 * it answers, as the API server does with a mutating webhook.
 */
final class SandboxAdmission {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI webhook;

    SandboxAdmission(URI webhook) {
        this.webhook = webhook;
    }

    /** The pod as admitted: patched when the webhook pinned its architectures. */
    Pod admit(Pod pod) throws IOException, InterruptedException {
        JsonObject podJson = new JsonObject(Serialization.asJson(pod));
        JsonObject review = new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview")
                .put("request", new JsonObject().put("uid", UUID.randomUUID().toString())
                        .put("kind", new JsonObject().put("group", "").put("version", "v1").put("kind", "Pod"))
                        .put("resource", new JsonObject().put("group", "").put("version", "v1").put("resource", "pods"))
                        .put("namespace", pod.getMetadata().getNamespace()).put("operation", "CREATE")
                        .put("object", podJson));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return pod;
        }
        JsonObject answer = new JsonObject(response.body()).getJsonObject("response");
        String patch = answer == null ? null : answer.getString("patch");
        if (patch == null) {
            return pod;
        }
        String patchJson = new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8);
        String patched = JsonPatch.apply(JSON.readTree(patchJson), JSON.readTree(podJson.encode())).toString();
        return Serialization.unmarshal(patched, Pod.class);
    }
}
