package io.archscaler.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The project's own jib-maven-plugin, run as a user runs it ({@code mvn -pl src -am package jib:build}) in a
 * nested Maven on a copy of this checkout: the copy, because that build re-packages the modules' jars, which
 * the test JVM running it has open. Timestamps are kept and incremental compilation is off, so the copy's
 * classes count as up to date and nothing is compiled again.
 */
final class JibBuild {
    private static final long TIMEOUT_MINUTES = 8;
    private static final int LOG_TAIL_CHARS = 6000;
    // not part of the product's build: history, the sandbox's fat jar, and test reports being written right now
    private static final Set<String> SKIPPED = Set.of(".git", "sandbox/target", "surefire-reports", "failsafe-reports");

    private JibBuild() {
    }

    /** Builds and pushes the image {@code target} on {@code base}; returns the build's log. */
    static String run(Path projectRoot, Path work, String base, String target) {
        Path copy = work.resolve("checkout");
        copyTree(projectRoot, copy);
        Path log = work.resolve("jib-build.log");
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-pl", "src", "-am", "package", "jib:build",
                "-DskipTests", "-Dcheckstyle.skip", "-Dmaven.compiler.useIncrementalCompilation=false",
                "-Darchscaler.image.base=" + base, "-Djib.to.image=" + target, "-Djib.allowInsecureRegistries=true",
                "-Djib.console=plain"));
        String repoLocal = System.getProperty("maven.repo.local");
        if (repoLocal != null && !repoLocal.isBlank()) {
            command.add("-Dmaven.repo.local=" + repoLocal);
        }
        try {
            Process p = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("mvn jib:build did not finish within " + TIMEOUT_MINUTES + " min:\n" + tail(log));
            }
            String output = Files.readString(log);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + tail(log));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mvn (is Maven on PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS));
    }

    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(from) && (SKIPPED.contains(dir.getFileName().toString())
                            || SKIPPED.contains(from.relativize(dir).toString()))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!SKIPPED.contains(file.getFileName().toString())) {
                        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                                LinkOption.NOFOLLOW_LINKS);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
