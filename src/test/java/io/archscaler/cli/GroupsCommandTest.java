package io.archscaler.cli;

import io.archscaler.Main;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.eks.EksJson;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.archscaler.cloud.aws.AwsWireMock.eksError;
import static io.archscaler.cloud.aws.AwsWireMock.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code archscaler groups} through picocli against an EKS endpoint on loopback, as a new user would try it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupsCommandTest {
    private static final String DENIED = "User: arn:aws:iam::123456789012:user/dev is not authorized to perform:"
            + " eks:DescribeNodegroup on resource: arn:aws:eks:us-west-2:123456789012:nodegroup/prod/arm-general";

    private AwsWireMock aws;
    private StringWriter out;
    private StringWriter err;
    @TempDir
    Path dir;

    @BeforeAll
    void startAws() {
        aws = AwsWireMock.start();
    }

    @AfterAll
    void stopAws() {
        aws.close();
    }

    @BeforeEach
    void reset() {
        aws.server().resetAll();
        out = new StringWriter();
        err = new StringWriter();
    }

    private Path config(String aws) throws IOException {
        Path file = dir.resolve("archscaler.yaml");
        Files.writeString(file, """
                cluster: prod
                discovery:
                  eks: {clusterName: prod}
                """ + aws);
        return file;
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new GroupsCommand(AwsWireMock.FAKE_CREDENTIALS));
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    private void twoManagedNodeGroups() {
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups"))
                .willReturn(json(EksJson.listNodegroups(null, "arm-general", "x86-legacy"))));
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups/arm-general")).willReturn(json(EksJson.activeNodegroup(
                "arm-general", "AL2023_ARM_64_STANDARD", "m7g.large").labels("{\"workload\":\"general\"}")
                .sizes(0, 10, 2).json())));
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups/x86-legacy")).willReturn(json(EksJson.activeNodegroup(
                "x86-legacy", "AL2_x86_64", "m6i.large")
                .taints("[{\"key\":\"dedicated\",\"value\":\"legacy\",\"effect\":\"NO_SCHEDULE\"}]").sizes(1, 4, 1)
                .json())));
    }

    @Test
    void listsTheDiscoveredArm64AndAmd64ManagedNodeGroupsAsATable() throws IOException {
        twoManagedNodeGroups();

        int code = run("--config", config(aws.awsBlock()).toString());

        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        // m7g.large and m6i.large: 2 vCPU less 70m kube-reserved, 8192Mi less 255Mi + 29 × 11Mi + 100Mi eviction,
        // 29 pods by the ENI formula, 18Gi of a 20Gi root volume
        assertThat(out.toString()).isEqualTo(
                "NAME         PROVIDER  SOURCE      ARCH   MIN  MAX  TARGET  INSTANCE-TYPE  CPU    MEMORY  PODS  GPU  PRICE/H  WEIGHT  LABELS                                                                                             TAINTS\n"
                + "arm-general  eks       discovered  arm64  0    10   2       m7g.large      1930m  7518Mi  29    0    0.0816   100     eks.amazonaws.com/capacityType=ON_DEMAND,eks.amazonaws.com/nodegroup=arm-general,workload=general  <none>\n"
                + "x86-legacy   eks       discovered  amd64  1    4    1       m6i.large      1930m  7518Mi  29    0    0.0960   10      eks.amazonaws.com/capacityType=ON_DEMAND,eks.amazonaws.com/nodegroup=x86-legacy                    dedicated=legacy:NoSchedule\n"
                + "\n"
                + "2 node groups: 0 configured, 2 discovered.\n");
    }

    @Test
    void listsThemAsJsonWithTaintsInKubernetesForm() throws IOException {
        twoManagedNodeGroups();

        int code = run("--config", config(aws.awsBlock()).toString(), "--output", "json");

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(new JsonArray(out.toString())).isEqualTo(new JsonArray("""
                [{"name": "arm-general", "provider": "eks", "source": "discovered", "arch": "arm64",
                  "minSize": 0, "maxSize": 10, "targetSize": 2, "instanceType": "m7g.large",
                  "capacity": {"cpu": "1930m", "memory": "7518Mi", "ephemeral-storage": "18Gi", "pods": 29, "gpu": 0},
                  "labels": {"archscaler.io/node-group": "arm-general", "beta.kubernetes.io/arch": "arm64",
                             "eks.amazonaws.com/capacityType": "ON_DEMAND", "eks.amazonaws.com/nodegroup": "arm-general",
                             "kubernetes.io/arch": "arm64", "kubernetes.io/os": "linux",
                             "node.kubernetes.io/instance-type": "m7g.large", "workload": "general"},
                  "taints": [], "pricePerHour": 0.0816, "weight": 100},
                 {"name": "x86-legacy", "provider": "eks", "source": "discovered", "arch": "amd64",
                  "minSize": 1, "maxSize": 4, "targetSize": 1, "instanceType": "m6i.large",
                  "capacity": {"cpu": "1930m", "memory": "7518Mi", "ephemeral-storage": "18Gi", "pods": 29, "gpu": 0},
                  "labels": {"archscaler.io/node-group": "x86-legacy", "beta.kubernetes.io/arch": "amd64",
                             "eks.amazonaws.com/capacityType": "ON_DEMAND", "eks.amazonaws.com/nodegroup": "x86-legacy",
                             "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux",
                             "node.kubernetes.io/instance-type": "m6i.large"},
                  "taints": [{"key": "dedicated", "value": "legacy", "effect": "NoSchedule"}],
                  "pricePerHour": 0.096, "weight": 10}]"""));
    }

    @Test
    void accessDeniedIsOneLineNamingTheProviderTheCallAndTheAwsErrorCode() throws IOException {
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups"))
                .willReturn(json(EksJson.listNodegroups(null, "arm-general"))));
        aws.stub(get(urlPathEqualTo("/clusters/prod/node-groups/arm-general"))
                .willReturn(eksError(403, "AccessDeniedException", DENIED)));

        int code = run("--config", config(aws.awsBlock()).toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("archscaler: eks DescribeNodegroup: AccessDeniedException: " + DENIED + "\n");
        assertThat(aws.eksGets("/clusters/prod/node-groups/arm-general")).as("a refusal is not retried").hasSize(1);
    }

    @Test
    void anUnreachableEndpointIsOneLineNamingTheProviderAndTheCall() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;

        int code = run("--config", config("aws: {region: us-west-2, endpoints: {eks: \"" + nowhere + "\"}}\n")
                .toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        // refused at once, or (on a loaded machine) no connection within the SDK's acquire timeout: one line either way
        assertThat(err.toString()).startsWith("archscaler: eks ListNodegroups: ").endsWith("\n");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void missingCredentialsAreOneLineSayingWhatWasTried() throws IOException {
        // a real SDK chain that finds nothing, without the instance-metadata step (no traffic leaves loopback)
        AwsCredentialsProvider nothing = AwsCredentialsProviderChain.of(ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(new ByteArrayInputStream(new byte[0]))
                        .type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("archscaler").build());
        CommandLine cmd = new CommandLine(new GroupsCommand(nothing));
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));

        int code = cmd.execute("--config", config(aws.awsBlock()).toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("archscaler: eks ListNodegroups: ClientError: no AWS credentials found"
                + " (tried the environment, system properties, the AWS profile, web identity (IRSA), the container"
                + " endpoint (EKS Pod Identity) and the instance profile)\n");
        assertThat(aws.server().getAllServeEvents()).as("nothing unsigned was sent").isEmpty();
    }

    @Test
    void aConfiguredGroupWhoseArchTheProviderContradictsIsOneLine() throws IOException {
        twoManagedNodeGroups();
        Path file = dir.resolve("arch.yaml");
        Files.writeString(file, """
                cluster: prod
                nodeGroups:
                  - {name: legacy, provider: eks, arch: arm64, maxSize: 4, capacity: {cpu: "2", memory: 8Gi},
                     eks: {nodegroupName: x86-legacy}}
                """ + aws.awsBlock());

        int code = run("--config", file.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("archscaler: node group legacy: configured as arm64, but eks reports"
                + " x86-legacy as amd64 (m6i.large); fix arch or instanceType in the config\n");
    }

    @Test
    void isASubcommandOfArchscaler() {
        assertThat(Main.commandLine().getSubcommands()).containsKey("groups");
    }
}
