package io.archscaler.images;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code archscaler images IMAGE...}: prints the platforms each image is published for. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Print the platforms each image is published for (exit 1 when any lookup fails).")
public final class ImagesCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references, as in a pod spec.")
    private List<String> images = new ArrayList<>();

    @Option(names = "--output", paramLabel = "json|table", defaultValue = "table", description = "Output format (default: table).")
    private String output;

    @Option(names = "--insecure", paramLabel = "HOST", description = "A registry spoken to over plain HTTP (repeatable).")
    private List<String> insecure = new ArrayList<>();

    @Option(names = "--auth-file", paramLabel = "FILE",
            description = "Registry credentials, in the format of ~/.docker/config.json or a dockerconfigjson secret.")
    private Path authFile;

    @Override
    public Integer call() {
        if (!output.equals("json") && !output.equals("table")) {
            throw new ParameterException(spec.commandLine(), "--output must be json or table, was \"" + output + "\"");
        }
        RegistryCredentials credentials = credentials();
        RegistryConfig config = RegistryConfig.defaults().withInsecure(insecure);
        ImageResolver resolver = ImageResolver.create(config, Clock.systemUTC(), ImageLookupObserver.NOOP);
        List<CompletableFuture<ImageLookup>> pending = images.stream()
                .map(image -> resolver.lookup(image, credentials).toCompletableFuture()).toList();
        List<ImageLookup> lookups = pending.stream().map(CompletableFuture::join).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            printJson(out, lookups);
        } else {
            printTable(out, lookups);
        }
        out.flush();
        return lookups.stream().allMatch(l -> l instanceof ImagePlatforms) ? 0 : 1;
    }

    private RegistryCredentials credentials() {
        if (authFile == null) {
            return RegistryCredentials.NONE;
        }
        try {
            return RegistryCredentials.fromDockerConfigJson(Files.readString(authFile));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read --auth-file " + authFile + ": " + e.getMessage());
        } catch (InvalidPullSecretException e) {
            throw new ParameterException(spec.commandLine(), "--auth-file " + authFile + ": " + e.getMessage());
        }
    }

    private void printTable(PrintWriter out, List<ImageLookup> lookups) {
        int width = lookups.stream().mapToInt(l -> l.reference().length()).max().orElse(0);
        for (int i = 0; i < lookups.size(); i++) {
            ImageLookup lookup = lookups.get(i);
            String what = lookup instanceof ImagePlatforms p
                    ? p.platforms().stream().map(Platform::toString).collect(Collectors.joining(" "))
                    : "error: " + ((ImageLookupFailure) lookup).message();
            out.println(pad(lookup.reference(), width) + "  " + what);
        }
    }

    private void printJson(PrintWriter out, List<ImageLookup> lookups) {
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < lookups.size(); i++) {
            ImageLookup lookup = lookups.get(i);
            ObjectNode node = array.addObject().put("image", images.get(i)).put("reference", lookup.reference());
            if (lookup instanceof ImagePlatforms p) {
                node.put("digest", p.digest());
                ArrayNode platforms = node.putArray("platforms");
                p.platforms().forEach(pl -> platforms.add(pl.toString()));
                ArrayNode archs = node.putArray("archs");
                p.schedulableArchs().stream().sorted().forEach(a -> archs.add(a.label()));
            } else {
                node.put("error", ((ImageLookupFailure) lookup).message());
            }
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
