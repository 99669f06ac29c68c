package io.archscaler.e2e;

import io.archscaler.controlplane.AuditLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The permissions rendered ClusterRoles and Roles grant, one per verb × resource (with the rule's
 * resourceNames), and which audited requests each one allowed, judged as the RBAC authorizer
 * judges them: same API group, resource and subresource, verb, and a name among the rule's
 * resourceNames when it has some (a create carries no name then, so such a rule never allows it).
 */
final class RbacRules {
    private RbacRules() {
    }

    /**
     * One verb on one resource granted by one rule.
     *
     * @param kind          {@code ClusterRole} (any namespace) or {@code Role} (its own namespace only)
     * @param namespace     the Role's namespace; null for a ClusterRole
     * @param apiGroup      empty for the core group
     * @param resource      {@code resource[/subresource]}
     * @param resourceNames empty when the rule names no object
     */
    record Permission(String kind, String namespace, String apiGroup, String resource, String verb,
                      List<String> resourceNames) {

        /** {@code verb resource[.group] [names]}, as docs/deploy.md names a permission, e.g. {@code get leases.coordination.k8s.io [archscaler]}. */
        String key() {
            String r = apiGroup.isEmpty() ? resource : resource.replaceFirst("^([^/]+)", "$1." + apiGroup);
            return verb + " " + r + (resourceNames.isEmpty() ? "" : " " + resourceNames);
        }

        boolean allows(AuditLog.Request request) {
            if (request.resource() == null || !apiGroup.equals(request.apiGroup()) || !verb.equals(request.verb())
                    || !resource.equals(request.resourcePath())) {
                return false;
            }
            if (namespace != null && !namespace.equals(request.namespace())) {
                return false;
            }
            // the authorizer sees no name on a create of a whole object: it arrives in the body
            String name = "create".equals(request.verb()) && request.subresource() == null ? null : request.name();
            return resourceNames.isEmpty() || (name != null && resourceNames.contains(name));
        }
    }

    /** Every permission of the rendered objects of {@code kinds} ({@code ClusterRole}, {@code Role}). */
    @SuppressWarnings("unchecked")
    static List<Permission> of(List<Map<String, Object>> rendered, List<String> kinds) {
        List<Permission> out = new ArrayList<>();
        for (Map<String, Object> object : rendered) {
            String kind = (String) object.get("kind");
            if (!kinds.contains(kind)) {
                continue;
            }
            String namespace = "Role".equals(kind) ? (String) ((Map<String, Object>) object.get("metadata")).get("namespace") : null;
            for (Map<String, Object> rule : (List<Map<String, Object>>) object.getOrDefault("rules", List.of())) {
                List<String> names = (List<String>) rule.getOrDefault("resourceNames", List.of());
                for (String group : (List<String>) rule.get("apiGroups")) {
                    for (String resource : (List<String>) rule.get("resources")) {
                        for (String verb : (List<String>) rule.get("verbs")) {
                            out.add(new Permission(kind, namespace, group, resource, verb, List.copyOf(names)));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** How many of {@code requests} each permission allowed, in the permissions' order. */
    static Map<Permission, Integer> uses(List<Permission> permissions, List<AuditLog.Request> requests) {
        Map<Permission, Integer> uses = new LinkedHashMap<>();
        permissions.forEach(p -> uses.put(p, 0));
        for (AuditLog.Request r : requests) {
            permissions.stream().filter(p -> p.allows(r)).forEach(p -> uses.merge(p, 1, Integer::sum));
        }
        return uses;
    }

    /** The table of permissions and their use counts, for the test's output. */
    static String table(Map<Permission, Integer> uses) {
        int width = uses.keySet().stream().mapToInt(p -> p.kind().length() + p.key().length() + 1).max().orElse(10);
        StringBuilder out = new StringBuilder(String.format("%-" + width + "s  %s%n", "permission", "requests"));
        uses.forEach((p, n) -> out.append(String.format("%-" + width + "s  %d%n", p.kind() + " " + p.key(), n)));
        return out.toString();
    }
}
