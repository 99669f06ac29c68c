package io.archscaler.providers;

import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.config.ConfigException;
import io.archscaler.config.ConfigLoader;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Cluster API groups wired by the factory, against fabric8's CRUD mock API server holding MachineDeployments. */
class ClusterApiProvidersMockTest {
    private static final ResourceDefinitionContext MACHINE_DEPLOYMENTS = new ResourceDefinitionContext.Builder()
            .withGroup("cluster.x-k8s.io").withVersion("v1beta1").withKind("MachineDeployment")
            .withPlural("machinedeployments").withNamespaced(true).build();
    private static final String CAPACITY = "capacity.cluster-autoscaler.kubernetes.io/";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        server.init();
        client = server.createClient();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        client.close();
        server.destroy();
    }

    /** A MachineDeployment with the autoscaler's size annotations and capacity annotations for scale from zero. */
    private void machineDeployment(String ns, String name, int replicas, String archLabel) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size", "0");
        annotations.put("cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size", "6");
        annotations.put(CAPACITY + "cpu", "80");
        annotations.put(CAPACITY + "memory", "256Gi");
        annotations.put(CAPACITY + "maxPods", "110");
        if (archLabel != null) {
            annotations.put(CAPACITY + "labels", "kubernetes.io/arch=" + archLabel);
        }
        GenericKubernetesResource md = new GenericKubernetesResourceBuilder()
                .withApiVersion("cluster.x-k8s.io/v1beta1").withKind("MachineDeployment")
                .withNewMetadata().withNamespace(ns).withName(name).withAnnotations(annotations).endMetadata()
                .addToAdditionalProperties("spec", Map.of("clusterName", "metal", "replicas", replicas,
                        "selector", Map.of("matchLabels", Map.of("cluster.x-k8s.io/cluster-name", "metal")),
                        "template", Map.of("spec", Map.of("clusterName", "metal", "version", "v1.31.2"))))
                .build();
        client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(ns).resource(md).create();
    }

    private ProviderSet build(String yaml) {
        return new ProviderFactory(client, scheduler, 1.0).withPolicy(ProviderFactoryMockTest.FAST)
                .build(new ConfigLoader(InstanceTypeCatalog.bundled(), Optional::empty).parse(yaml, "config.yaml"));
    }

    @Test
    void aConfiguredMachineDeploymentKeepsItsNameAndDiscoveredOnesAreNamespaceSlashName() {
        machineDeployment("metal", "ampere-workers", 2, "arm64");
        machineDeployment("metal", "epyc-workers", 1, null);
        machineDeployment("other", "ignored", 1, null);

        try (ProviderSet set = build("""
                cluster: metal
                nodeGroups:
                  - name: metal-arm
                    provider: clusterapi
                    arch: arm64
                    maxSize: 4
                    capacity: {cpu: "80", memory: 256Gi}
                    clusterapi: {namespace: metal, name: ampere-workers}
                discovery:
                  clusterapi: {namespace: metal}
                """)) {
            List<NodeGroup> groups = List.copyOf(set.byGroup().keySet());
            assertThat(groups).extracting(NodeGroup::name, NodeGroup::provider, NodeGroup::arch, NodeGroup::maxSize,
                            NodeGroup::targetSize)
                    .containsExactly(tuple("metal-arm", "clusterapi", Arch.ARM64, 4, 2),
                            tuple("metal/epyc-workers", "clusterapi", Arch.AMD64, 6, 1));
            assertThat(set.discovered("metal/epyc-workers")).isTrue();
            assertThat(set.membership().groupOf(Map.of("cluster.x-k8s.io/deployment-name", "ampere-workers")))
                    .contains("metal-arm");
            assertThat(set.membership().groupOf(Map.of("cluster.x-k8s.io/deployment-name", "epyc-workers")))
                    .contains("metal/epyc-workers");
        }
    }

    @Test
    void aConfiguredArchIsTheDefaultForAMachineDeploymentThatDoesNotSayItsOwn() {
        machineDeployment("metal", "ampere-workers", 0, null);

        try (ProviderSet set = build("""
                cluster: metal
                nodeGroups:
                  - {name: metal-arm, provider: clusterapi, arch: arm64, maxSize: 4,
                     capacity: {cpu: "80", memory: 256Gi}, clusterapi: {namespace: metal, name: ampere-workers}}
                """)) {
            assertThat(set.byGroup().keySet()).extracting(NodeGroup::arch).containsExactly(Arch.ARM64);
        }
    }

    @Test
    void aMachineDeploymentWhoseLabelsContradictTheConfiguredArchStopsTheStart() {
        machineDeployment("metal", "epyc-workers", 0, "amd64");

        assertThatThrownBy(() -> build("""
                cluster: metal
                nodeGroups:
                  - {name: metal-arm, provider: clusterapi, arch: arm64, maxSize: 4,
                     capacity: {cpu: "80", memory: 256Gi}, clusterapi: {namespace: metal, name: epyc-workers}}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("node group metal-arm: configured as arm64, but clusterapi reports metal-arm as amd64;"
                        + " fix arch or instanceType in the config");
    }
}
