package io.archscaler.controlplane;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** A program that one of Debian's packages puts on PATH (tools/test installs them when run as root). */
public final class DebianTool {
    private DebianTool() {
    }

    /** The executable {@code name} on PATH; an {@link IllegalStateException} naming the package to install otherwise. */
    public static Path onPath(String name, String debianPackage) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " is not on PATH: install Debian's " + debianPackage + " package "
                + "(apt-get install -y " + debianPackage + "), as tools/test does");
    }
}
