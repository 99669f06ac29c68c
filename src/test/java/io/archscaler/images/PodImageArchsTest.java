package io.archscaler.images;

import io.archscaler.testing.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.archscaler.images.FakeRegistry.OCI_INDEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.archscaler.scaler.model.Arch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodImageArchsTest {
    private FakeRegistry registry;

    @BeforeEach
    void start() {
        registry = new FakeRegistry();
        registry.amd64Only("team/legacy", "1.0");
        registry.multiArch("team/web", "1.0");
        registry.manifest("team/edge", "1", "oci-index-no-platform.json", OCI_INDEX);
        registry.manifest("team/edge", "arm64-unused-tag", "oci-manifest-arm64.json", FakeRegistry.OCI_MANIFEST);
        registry.blob("team/edge", "config-arm64.json", FakeRegistry.OCI_CONFIG);
        registry.server.stubFor(get(urlEqualTo("/v2/team/gone/manifests/1.0")).willReturn(FakeRegistry.manifestUnknown()));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private PodImageArchs archs(RegistryConfig.OnUnknown onUnknown) {
        RegistryConfig config = RegistryConfig.defaults().withOnUnknown(onUnknown);
        return new PodImageArchs(ImageResolver.create(config, new MutableClock(), ImageLookupObserver.NOOP), onUnknown);
    }

    private Pod pod(List<String> initImages, List<String> images) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("shop").endMetadata();
        var spec = b.withNewSpec();
        for (int i = 0; i < initImages.size(); i++) {
            spec.addNewInitContainer().withName("init-" + i).withImage(registry.host() + "/" + initImages.get(i)).endInitContainer();
        }
        for (int i = 0; i < images.size(); i++) {
            spec.addNewContainer().withName("c-" + i).withImage(registry.host() + "/" + images.get(i)).endContainer();
        }
        return spec.endSpec().build();
    }

    private static Set<Arch> archsOf(PodImageArchs archs, Pod pod) throws Exception {
        return archs.archsOf(pod, RegistryCredentials.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void intersectsTheArchsOfContainersAndInitContainers() throws Exception {
        PodImageArchs archs = archs(RegistryConfig.OnUnknown.ASSUME_MULTIARCH);
        Pod pod = pod(List.of("team/web:1.0"), List.of("team/legacy:1.0", "team/web:1.0"));

        PodImages images = archs.lookUp(pod, RegistryCredentials.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(images.archs()).containsExactly(Arch.AMD64);
        assertThat(images.lookups()).extracting(ImageLookup::reference)
                .containsExactly(registry.host() + "/team/web:1.0", registry.host() + "/team/legacy:1.0");
        assertThat(images.narrowsArchs()).isTrue();
        assertThat(images.reason()).isEqualTo("images: " + registry.host() + "/team/legacy:1.0=[amd64]");
        registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/web/manifests/1.0")));
    }

    @Test
    void multiArchImagesLeaveEveryArch() throws Exception {
        Set<Arch> result = archsOf(archs(RegistryConfig.OnUnknown.ASSUME_MULTIARCH), pod(List.of(), List.of("team/web:1.0")));

        assertThat(result).containsExactlyInAnyOrder(Arch.AMD64, Arch.ARM64);
    }

    @Test
    void imagesWithNoArchInCommonLeaveNone() throws Exception {
        PodImages images = archs(RegistryConfig.OnUnknown.ASSUME_MULTIARCH)
                .lookUp(pod(List.of(), List.of("team/legacy:1.0", "team/edge:1")), RegistryCredentials.NONE)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(images.archs()).isEmpty();
        assertThat(images.narrowsArchs()).isFalse();
    }

    @Test
    void aFailedLookupIsUnknownWhenMultiArchIsAssumed() throws Exception {
        PodImageArchs archs = archs(RegistryConfig.OnUnknown.ASSUME_MULTIARCH);

        assertThat(archsOf(archs, pod(List.of(), List.of("team/gone:1.0")))).isNull();
        assertThat(archsOf(archs, pod(List.of(), List.of("team/gone:1.0", "team/legacy:1.0")))).containsExactly(Arch.AMD64);
    }

    @Test
    void aFailedLookupIsAmd64WhenAmd64IsAssumed() throws Exception {
        PodImageArchs archs = archs(RegistryConfig.OnUnknown.ASSUME_AMD64);

        assertThat(archsOf(archs, pod(List.of(), List.of("team/gone:1.0")))).containsExactly(Arch.AMD64);
        assertThat(archsOf(archs, pod(List.of(), List.of("team/gone:1.0", "team/edge:1")))).isEmpty();
    }

    @Test
    void aPodWithoutImagesIsUnknown() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("empty").endMetadata().build();

        assertThat(archsOf(archs(RegistryConfig.OnUnknown.ASSUME_AMD64), pod)).isNull();
        assertThat(PodImageArchs.images(pod)).isEmpty();
    }
}
