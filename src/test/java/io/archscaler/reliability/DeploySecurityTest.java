package io.archscaler.reliability;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in {@code deploy/} as written (every file, overlays included): RBAC without
 * wildcards or privilege-granting verbs, and no access to Secrets; the controller's container
 * runs as a non-root user on a read-only root filesystem with no privileges, and its config is
 * mounted read-only; the image's Dockerfile switches to a numeric non-root user.
 */
class DeploySecurityTest {
    private static final List<String> RULE_FIELDS = List.of("apiGroups", "resources", "verbs", "resourceNames",
            "nonResourceURLs");

    @Test
    void noRoleGrantsAWildcardAPrivilegeVerbOrSecrets() throws IOException {
        List<Map<String, Object>> roles = objects("ClusterRole", "Role");
        List<String> findings = new ArrayList<>();
        int rules = 0;
        for (Map<String, Object> role : roles) {
            for (Map<String, Object> rule : maps(role.get("rules"))) {
                rules++;
                for (String field : RULE_FIELDS) {
                    for (Object v : list(rule.get(field))) {
                        if (String.valueOf(v).contains("*")) {
                            findings.add(name(role) + ": " + field + " " + v);
                        }
                    }
                }
                for (Object verb : list(rule.get("verbs"))) {
                    if (List.of("escalate", "bind", "impersonate", "deletecollection").contains(String.valueOf(verb))) {
                        findings.add(name(role) + ": verb " + verb);
                    }
                }
                if (list(rule.get("resources")).contains("secrets")) {
                    findings.add(name(role) + ": secrets");
                }
            }
        }
        ReliabilityLog.write(new ReliabilityLog.Check("rbac", "RBAC in deploy/",
                "every ClusterRole and Role in deploy/ (base and overlays), as written", rules, findings.size(),
                findings.isEmpty() ? "no wildcard, no escalate/bind/impersonate/deletecollection, "
                        + "no secrets, in " + rules + " rules of " + roles.size() + " roles" : "FOUND: " + findings));

        assertThat(roles).isNotEmpty();
        assertThat(findings).isEmpty();
    }

    @Test
    void theControllerRunsAsNonRootOnAReadOnlyRootFilesystemWithoutPrivileges() throws IOException {
        // the controller's own; deploy/ may hold sample workloads too
        List<Map<String, Object>> deployments = objects("Deployment").stream()
                .filter(d -> "archscaler".equals(map(d.get("metadata")).get("name"))).toList();
        List<String> findings = new ArrayList<>();
        for (Map<String, Object> d : deployments) {
            Map<String, Object> pod = map(path(d, "spec", "template", "spec"));
            Map<String, Object> podSecurity = map(pod.get("securityContext"));
            for (String hostAccess : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Boolean.TRUE.equals(pod.get(hostAccess))) {
                    findings.add(name(d) + ": " + hostAccess);
                }
            }
            for (Map<String, Object> volume : maps(pod.get("volumes"))) {
                if (volume.containsKey("hostPath")) {
                    findings.add(name(d) + ": hostPath volume " + volume.get("name"));
                }
            }
            for (Map<String, Object> c : maps(pod.get("containers"))) {
                String where = name(d) + "/" + c.get("name");
                Map<String, Object> sc = map(c.get("securityContext"));
                boolean nonRoot = Boolean.TRUE.equals(sc.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot")));
                Object uid = sc.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
                if (!nonRoot || Integer.valueOf(0).equals(uid)) {
                    findings.add(where + ": may run as root");
                }
                if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                    findings.add(where + ": root filesystem writable");
                }
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    findings.add(where + ": privilege escalation allowed");
                }
                if (Boolean.TRUE.equals(sc.get("privileged"))) {
                    findings.add(where + ": privileged");
                }
                if (!list(map(sc.get("capabilities")).get("drop")).contains("ALL")) {
                    findings.add(where + ": capabilities not dropped");
                }
                for (Map<String, Object> mount : maps(c.get("volumeMounts"))) {
                    boolean config = "/etc/archscaler".equals(mount.get("mountPath"));
                    if (config && !Boolean.TRUE.equals(mount.get("readOnly"))) {
                        findings.add(where + ": config mounted writable");
                    }
                }
            }
        }
        String dockerfile = Files.readString(root().resolve("deploy/Dockerfile"), StandardCharsets.UTF_8);
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        String lastUser = null;
        while (user.find()) {
            lastUser = user.group(1);
        }
        String uid = lastUser == null ? null : lastUser.split(":")[0];
        if (uid == null || !uid.matches("[0-9]+") || Integer.parseInt(uid) == 0) {
            findings.add("Dockerfile: last USER is " + lastUser + ", not a numeric non-root user");
        }
        ReliabilityLog.write(new ReliabilityLog.Check("container-security", "Container security in deploy/",
                "the controller's Deployment in deploy/ (securityContext, host access, volumes, mounts) and "
                        + "deploy/Dockerfile", deployments.size() + 1, findings.size(),
                findings.isEmpty() ? "runs as uid " + uid + " (non-root), read-only root filesystem with /tmp an "
                        + "emptyDir, no privilege escalation, all capabilities dropped, config mounted read-only"
                        : "FOUND: " + findings));

        assertThat(deployments).isNotEmpty();
        assertThat(findings).isEmpty();
    }

    /** Every object of these kinds in the YAML files under deploy/. */
    static List<Map<String, Object>> objects(String... kinds) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> wanted = List.of(kinds);
        try (Stream<Path> files = Files.walk(root().resolve("deploy"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList()) {
                for (Object doc : new Yaml(new LoaderOptions()).loadAll(Files.readString(f, StandardCharsets.UTF_8))) {
                    if (doc instanceof Map<?, ?> m && wanted.contains(String.valueOf(m.get("kind")))) {
                        out.add(map(m));
                    }
                }
            }
        }
        return out;
    }

    /** The repository root: the nearest directory above the working directory that holds deploy/. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/ above " + Path.of("").toAbsolutePath());
    }

    private static String name(Map<String, Object> o) {
        return o.get("kind") + " " + map(o.get("metadata")).get("name");
    }

    private static Object path(Map<String, Object> o, String... keys) {
        Object at = o;
        for (String k : keys) {
            at = map(at).get(k);
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(DeploySecurityTest::map).toList();
    }
}
