package io.archscaler.fleet;

import io.archscaler.config.ConfigException;
import io.archscaler.config.ConfigLoader;
import io.archscaler.config.FleetCluster;
import io.archscaler.config.FleetConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fleet's {@code clustersDir}, one cluster per {@code *.yaml}/{@code *.yml} file, read again on
 * each {@link #scan}: a new file adds its cluster, a removed one drops it, a changed one replaces
 * it. A file that does not parse is refused (logged with file, line and key, shown in
 * {@code /status}) and the cluster keeps its last good version; the other files go on.
 */
final class ClustersDir {
    private static final Logger LOG = LoggerFactory.getLogger(ClustersDir.class);

    private record Seen(long modified, long size) {
    }

    private final FleetConfig fleet;
    private final ConfigLoader loader;
    private final Runnable changed;
    private final Map<Path, Seen> seen = new HashMap<>();
    private final Map<Path, FleetCluster> good = new HashMap<>();
    private volatile Map<String, FleetCluster> clusters = Map.of();
    private volatile Map<String, String> refused = Map.of();

    /** @param changed told when the set of clusters or one of them changed */
    ClustersDir(FleetConfig fleet, ConfigLoader loader, Runnable changed) {
        this.fleet = fleet;
        this.loader = loader;
        this.changed = changed;
    }

    /** The clusters of the directory's good files, by name. */
    Map<String, FleetCluster> clusters() {
        return clusters;
    }

    /** Files refused at the last scan, with why. */
    Map<String, String> refused() {
        return refused;
    }

    synchronized void scan() {
        if (fleet.clustersDir().isEmpty()) {
            return;
        }
        Path dir = fleet.clustersDir().get();
        List<Path> files;
        try {
            files = ConfigLoader.clusterFiles(dir);
        } catch (IOException e) {
            LOG.warn("cannot list clustersDir {}: {}; keeping the clusters read before", dir, e.toString());
            return;
        }
        Map<String, String> badNow = new TreeMap<>(refused);
        boolean any = good.keySet().retainAll(Set.copyOf(files));
        seen.keySet().retainAll(Set.copyOf(files));
        badNow.keySet().removeIf(f -> !files.contains(Path.of(f)));
        for (Path f : files) {
            Seen now;
            try {
                now = new Seen(Files.getLastModifiedTime(f).toMillis(), Files.size(f));
            } catch (IOException e) {
                continue;
            }
            if (now.equals(seen.get(f))) {
                continue;
            }
            seen.put(f, now);
            try {
                FleetCluster c = loader.loadFleetCluster(f, fleet);
                good.put(f, c);
                badNow.remove(f.toString());
                any = true;
            } catch (ConfigException e) {
                LOG.warn("clustersDir: refused {}", e.getMessage());
                badNow.put(f.toString(), e.getMessage());
            }
        }
        Map<String, FleetCluster> byName = new TreeMap<>();
        for (Path f : files) {
            FleetCluster c = good.get(f);
            if (c == null) {
                continue;
            }
            if (byName.containsKey(c.name()) || fleet.cluster(c.name()).isPresent()) {
                badNow.put(f.toString(), f + ": cluster " + c.name() + " is already defined (by "
                        + (byName.containsKey(c.name()) ? byName.get(c.name()).source() : "the fleet file") + ")");
                continue;
            }
            byName.put(c.name(), c);
        }
        refused = Map.copyOf(badNow);
        if (any || !byName.equals(clusters)) {
            clusters = Map.copyOf(byName);
            changed.run();
        }
    }
}
