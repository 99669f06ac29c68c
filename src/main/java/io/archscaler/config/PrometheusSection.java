package io.archscaler.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the {@code prometheus} block: {@code {url, interval, queries: [{hpa, metric, query}], adapterRules}}. */
final class PrometheusSection {
    private PrometheusSection() {
    }

    static PrometheusConfig parse(YamlSection s) {
        s.requireKnown("url", "interval", "queries", "adapterRules");
        URI url = url(s);
        Duration interval = s.positiveDuration("interval", PrometheusConfig.DEFAULT_INTERVAL);
        List<PrometheusConfig.Query> queries = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (YamlSection q : s.sections("queries")) {
            q.requireKnown("hpa", "metric", "query");
            String hpa = q.string("hpa").trim();
            int slash = hpa.indexOf('/');
            if (slash <= 0 || slash == hpa.length() - 1 || hpa.indexOf('/', slash + 1) >= 0) {
                throw q.error("hpa", "expected namespace/name of an HPA such as shop/checkout (got \"" + hpa + "\")");
            }
            String metric = nonBlank(q, "metric");
            String query = nonBlank(q, "query");
            String previous = seen.put(hpa + " " + metric, q.path());
            if (previous != null) {
                throw q.error("metric", "HPA " + hpa + " metric " + metric + " already has a query in " + previous);
            }
            queries.add(new PrometheusConfig.Query(hpa.substring(0, slash), hpa.substring(slash + 1), metric, query));
        }
        Optional<Path> rules = adapterRules(s);
        if (queries.isEmpty() && rules.isEmpty()) {
            throw s.error("give queries, adapterRules or both");
        }
        return new PrometheusConfig(url, interval, queries, rules);
    }

    private static URI url(YamlSection s) {
        String text = s.string("url");
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw s.error("url", "expected an http or https URL of Prometheus such as http://prometheus.monitoring:9090 (got \""
                + text + "\")");
    }

    private static Optional<Path> adapterRules(YamlSection s) {
        Optional<String> text = s.optionalString("adapterRules");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text.get());
        } catch (InvalidPathException e) {
            throw s.error("adapterRules", "not a file path: \"" + text.get() + "\"");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw s.error("adapterRules", "no readable file " + path);
        }
        return Optional.of(path);
    }

    private static String nonBlank(YamlSection s, String key) {
        String v = s.string(key);
        if (v.isBlank()) {
            throw s.error(key, "must not be empty");
        }
        return v.trim();
    }
}
