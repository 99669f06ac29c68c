package io.archscaler.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How kwok runs in a {@link ControlPlane}: the stages kwokctl gives a cluster (as the install script
 * copies them from the kwok module), changed where a kubelet at scale behaves otherwise, kwok's
 * options (more workers, as thousands of kubelets renew their Leases each on their own) and its
 * flags. A Node heartbeats by renewing its Lease every 10 s and posts its full status every 5 minutes
 * (kwokctl's default stage patches every Node's whole status every 20-45 s, which at a few thousand
 * Nodes falls behind and lets the node lifecycle controller mark them unreachable); a pod keeps its IP
 * when kwok replays its pod-ready patch; Nodes that register already Ready are adopted.
 */
final class KwokConfig {
    /**
     * A kubelet's {@code nodeLeaseDurationSeconds}: kwok renews each Lease every quarter of it (10 s), and
     * the node lifecycle controller's grace period (50 s) outlasts it.
     */
    static final int NODE_LEASE_SECONDS = 40;
    /** kwokctl's lease-less heartbeat, which a lease makes needless. */
    static final String STATUS_HEARTBEAT = "node-heartbeat";
    /** kwokctl's pod-ready stage, replaced by one that keeps a pod's IP. */
    static final String POD_READY = "pod-ready";
    private static final Pattern NAME = Pattern.compile("(?m)^metadata:\\s*\\n\\s+name:\\s*(\\S+)\\s*$");
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private KwokConfig() {
    }

    /**
     * kwok's config file: its options (every one at kwok's default but more workers for Leases and
     * stages, see kwok/options.yaml) and the stages it runs, from kwokctl's {@code installed} ones: the
     * lease-less heartbeat swapped for a 5-minute status report beside the Lease, pod-ready for ours,
     * and the adoption of Ready Nodes added. Fails naming the stage when {@code installed} lacks one we
     * replace (a kwok whose stages changed must be looked at, not run with kwokctl's defaults).
     */
    static String file(String installed) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String doc : SEPARATOR.split(installed)) {
            if (!doc.isBlank()) {
                byName.put(name(doc), doc.strip());
            }
        }
        for (String replaced : List.of(STATUS_HEARTBEAT, POD_READY)) {
            if (byName.remove(replaced) == null) {
                throw new IllegalStateException("kwok's installed stages have no '" + replaced + "' stage to replace (found "
                        + byName.keySet() + "): has kwok's version changed? see tools/control-plane/install");
            }
        }
        List<String> docs = new ArrayList<>(List.of(resource("options.yaml").strip()));
        docs.addAll(byName.values());
        for (String ours : List.of("node-heartbeat-with-lease.yaml", "pod-ready.yaml", "node-adopt.yaml")) {
            docs.add(resource(ours).strip());
        }
        return "---\n" + String.join("\n---\n", docs) + "\n";
    }

    /** kwok's command line, with its config at {@code configFile}: leases on, and only warnings logged. */
    static List<String> command(ControlPlaneBinaries binaries, Path kubeconfig, Path configFile) {
        return List.of(binaries.binary("kwok").toString(), "--kubeconfig=" + kubeconfig, "--config=" + configFile,
                "--manage-all-nodes=true", "--server-address=127.0.0.1:" + LoopbackPort.free(),
                "--node-lease-duration-seconds=" + NODE_LEASE_SECONDS,
                // at INFO kwok logs every patch it makes: 35 MB in a 50,000-pod burst, and cpu it lacks then
                "--v=WARN");
    }

    private static String name(String doc) {
        Matcher m = NAME.matcher(doc);
        if (!m.find()) {
            throw new IllegalStateException("a kwok stage without metadata.name:\n" + doc);
        }
        return m.group(1);
    }

    private static String resource(String file) {
        try (InputStream in = KwokConfig.class.getResourceAsStream("kwok/" + file)) {
            if (in == null) {
                throw new IllegalStateException("kwok/" + file + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
