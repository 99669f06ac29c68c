package io.archscaler.e2e;

import io.archscaler.controlplane.CertificateAuthority;
import io.archscaler.controlplane.PemKeyPair;
import io.archscaler.observability.Rendered;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Webhooks an end-to-end test points the API server at: deploy/'s placement webhook, and a serving certificate for 127.0.0.1. */
final class E2eWebhooks {
    private E2eWebhooks() {
    }

    /** A serving certificate for 127.0.0.1 written into {@code dir}, and the CA bundle the API server is to trust it with. */
    record Serving(PemKeyPair.Written files, String caBundle) {
        static Serving create(Path dir, String name) {
            CertificateAuthority ca = CertificateAuthority.create(name + "-ca");
            return new Serving(ca.issueServer(name, List.of("127.0.0.1")).write(dir, name), ca.certificateBase64());
        }
    }

    /**
     * Registers the MutatingWebhookConfiguration that deploy/ ships (its rules, failure policy and
     * timeout) under {@code name}, pointed at {@code baseUrl}'s {@code /mutate-pods} with
     * {@code caBundle} and narrowed to {@code namespace}, so other tests' pods never reach it.
     */
    static MutatingWebhookConfiguration registerPlacement(KubernetesClient client, String name, String namespace,
                                                          String baseUrl, String caBundle) throws Exception {
        Map<String, Object> rendered = Rendered.one(Rendered.of("deploy"), "MutatingWebhookConfiguration", "archscaler-placement");
        MutatingWebhookConfiguration config = client.getKubernetesSerialization().convertValue(rendered,
                MutatingWebhookConfiguration.class);
        config.getMetadata().setName(name);
        config.getMetadata().setAnnotations(null); // cert-manager's CA injection: the caBundle is set here
        var webhook = config.getWebhooks().get(0);
        webhook.getClientConfig().setService(null);
        webhook.getClientConfig().setUrl(baseUrl + "/mutate-pods");
        webhook.getClientConfig().setCaBundle(caBundle);
        webhook.getNamespaceSelector().getMatchExpressions().add(new LabelSelectorRequirementBuilder()
                .withKey("kubernetes.io/metadata.name").withOperator("In").withValues(namespace).build());
        return client.resource(config).serverSideApply();
    }
}
