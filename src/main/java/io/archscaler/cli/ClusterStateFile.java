package io.archscaler.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a cluster snapshot as {@code kubectl get nodes,pods -A -o yaml} (or {@code -o json})
 * writes it: a {@code v1 List}, or several YAML documents, or a single Node or Pod. PodDisruptionBudgets
 * are kept too ({@code kubectl get nodes,pods,pdb -A}); items of other kinds are skipped.
 */
public final class ClusterStateFile {
    private static final int MAX_MESSAGE = 400;

    private ClusterStateFile() {
    }

    /** The nodes, pods and PodDisruptionBudgets of the file, in file order. */
    public record ClusterState(List<Node> nodes, List<Pod> pods, List<PodDisruptionBudget> pdbs) {
        public ClusterState {
            nodes = List.copyOf(nodes);
            pods = List.copyOf(pods);
            pdbs = List.copyOf(pdbs);
        }

        public ClusterState(List<Node> nodes, List<Pod> pods) {
            this(nodes, pods, List.of());
        }
    }

    public static ClusterState read(Path file) {
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<PodDisruptionBudget> pdbs = new ArrayList<>();
        for (HasMetadata object : objects(file)) {
            if (object instanceof Node node) {
                nodes.add(node);
            } else if (object instanceof Pod pod) {
                pods.add(pod);
            } else if (object instanceof PodDisruptionBudget pdb) {
                pdbs.add(pdb);
            }
        }
        return new ClusterState(nodes, pods, pdbs);
    }

    /**
     * Every Kubernetes object of the file, of any kind, in file order (for {@code readiness}, which
     * reads Deployments, StatefulSets, DaemonSets, Jobs and ReplicaSets too).
     */
    public static List<HasMetadata> objects(Path file) {
        Object parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = new KubernetesSerialization().unmarshal(in);
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CliException(file + ": permission denied");
        } catch (IOException e) {
            throw new CliException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CliException(file + ": not a Kubernetes list in YAML or JSON: " + describe(e), e);
        }
        if (parsed == null) {
            throw new CliException(file + ": the file is empty");
        }
        List<HasMetadata> objects = new ArrayList<>();
        collect(file, parsed, objects);
        return objects;
    }

    private static void collect(Path file, Object parsed, List<HasMetadata> objects) {
        if (parsed instanceof KubernetesList list) {
            // "items:" with nothing after it is an empty list, not a broken file; an item the
            // deserializer could not type (no kind, say) comes back untyped despite the list's signature
            List<?> items = list.getItems() == null ? List.of() : list.getItems();
            for (Object item : items) {
                collect(file, item, objects);
            }
        } else if (parsed instanceof List<?> documents) {
            documents.forEach(doc -> {
                if (doc != null) {
                    collect(file, doc, objects);
                }
            });
        } else if (parsed instanceof HasMetadata object) {
            objects.add(object);
        } else {
            throw new CliException(file + ": expected the output of kubectl get nodes,pods -A -o yaml"
                    + " (a v1 List of Nodes and Pods)");
        }
    }

    /** A parser's complaint on one line, with the line it found the problem on. */
    private static String describe(RuntimeException e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException y) {
                String where = y.getProblemMark().map(m -> "line " + (m.getLine() + 1) + ": ").orElse("");
                String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
                return where + y.getProblem() + context;
            }
            if (t instanceof JacksonException j && j.getOriginalMessage() != null) {
                TokenStreamLocation at = j.getLocation();
                String where = at != null && at.getLineNr() > 0 ? "line " + at.getLineNr() + ": " : "";
                String path = fieldPath(j);
                String message = j.getOriginalMessage();
                int marker = message.indexOf(" (start marker at");
                return where + (path.isEmpty() ? "" : path + ": ") + oneLine(marker < 0 ? message : message.substring(0, marker));
            }
            if (t.getMessage() != null) {
                deepest = t;
            }
        }
        return oneLine(deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage());
    }

    /** {@code items[0].spec.containers} from Jackson's reference chain. */
    private static String fieldPath(JacksonException j) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : j.getPath()) {
            if (r.getPropertyName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String oneLine(String message) {
        message = message.replaceAll("\\s+", " ").trim();
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
    }
}
