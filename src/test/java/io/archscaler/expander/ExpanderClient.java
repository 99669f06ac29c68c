package io.archscaler.expander;

import com.google.protobuf.ByteString;
import io.archscaler.expander.grpc.BestOptionsRequest;
import io.archscaler.expander.grpc.BestOptionsResponse;
import io.archscaler.expander.grpc.Option;
import io.archscaler.expander.kube.Container;
import io.archscaler.expander.kube.ObjectMeta;
import io.archscaler.expander.kube.Pod;
import io.archscaler.expander.kube.PodSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@code grpcplugin.Expander/BestOptions} as Cluster Autoscaler does: over TLS trusting the
 * given CA certificate (CA's {@code --grpc-expander-cert}), or over plain HTTP/2 for a plaintext expander.
 */
public final class ExpanderClient {
    private static final ServiceMethod<Buffer, Buffer> CALL = ServiceMethod.client(ServiceName.create("grpcplugin", "Expander"),
            "BestOptions", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

    private final GrpcClient client;
    private final int port;

    private ExpanderClient(GrpcClient client, int port) {
        this.client = client;
        this.port = port;
    }

    /** A client of the expander on 127.0.0.1:{@code port} over TLS, trusting {@code caPem}. */
    public static ExpanderClient tls(Vertx vertx, int port, String caPem) {
        return new ExpanderClient(GrpcClient.client(vertx, new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)))), port);
    }

    /** A client of a plaintext expander ({@code plaintext: true}) on 127.0.0.1:{@code port}. */
    public static ExpanderClient plaintext(Vertx vertx, int port) {
        return new ExpanderClient(GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)), port);
    }

    /** One call's status, answer and time taken. */
    public record Answer(GrpcStatus status, BestOptionsResponse response, long millis) {
        /** The node group ids answered, in order. */
        public List<String> ids() {
            return response.getOptionsList().stream().map(Option::getNodeGroupId).toList();
        }
    }

    /** Sends the request bytes as one BestOptions call and waits for the answer. */
    public Answer call(byte[] request) throws Exception {
        long started = System.nanoTime();
        GrpcClientResponse<Buffer, Buffer>[] received = new GrpcClientResponse[1];
        Buffer body = client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), CALL)
                .compose(req -> {
                    req.end(Buffer.buffer(request));
                    return req.response();
                })
                .compose(resp -> {
                    received[0] = resp;
                    return resp.last().otherwise(Buffer.buffer());
                })
                // CA gives up after 5 s; a cold first call on a loaded test machine (TLS, class loading) can take longer
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Answer(received[0].status(), BestOptionsResponse.parseFrom(body.getBytes()), millis);
    }

    /** A pod of namespace {@code shop} as CA serializes it (Kubernetes protobuf), one container per image. */
    public static ByteString pod(String name, String... images) {
        PodSpec.Builder spec = PodSpec.newBuilder();
        for (int i = 0; i < images.length; i++) {
            spec.addContainers(Container.newBuilder().setName(i == 0 ? "main" : "sidecar-" + i).setImage(images[i]));
        }
        return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("shop")).setSpec(spec)
                .build().toByteString();
    }

    /** A request offering one node of each group in {@code groupIds}, each for all the pods. */
    public static byte[] request(List<String> groupIds, ByteString... pods) {
        BestOptionsRequest.Builder r = BestOptionsRequest.newBuilder();
        for (String id : groupIds) {
            r.addOptions(Option.newBuilder().setNodeGroupId(id).setNodeCount(1).addAllPodBytes(List.of(pods)));
        }
        return r.build().toByteArray();
    }
}
