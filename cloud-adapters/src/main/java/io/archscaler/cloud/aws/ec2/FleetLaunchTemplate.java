package io.archscaler.cloud.aws.ec2;

/**
 * The launch template a fleet group launches from, by id or by name (one of them), and its
 * version: a number, {@code $Default} or {@code $Latest} (default {@code $Default}).
 */
public record FleetLaunchTemplate(String id, String name, String version) {
    public FleetLaunchTemplate {
        boolean hasId = id != null && !id.isBlank();
        boolean hasName = name != null && !name.isBlank();
        if (hasId == hasName) {
            throw new IllegalArgumentException("launchTemplate: give exactly one of id and name (id=" + id
                    + ", name=" + name + ")");
        }
        id = hasId ? id : null;
        name = hasName ? name : null;
        version = version == null || version.isBlank() ? "$Default" : version;
    }

    public static FleetLaunchTemplate byId(String id, String version) {
        return new FleetLaunchTemplate(id, null, version);
    }

    public static FleetLaunchTemplate byName(String name, String version) {
        return new FleetLaunchTemplate(null, name, version);
    }
}
