package io.archscaler.hpa;

import io.archscaler.scaler.hpa.WorkloadRef;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricIdentifier;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A prometheus-adapter configuration ({@code rules:} for Pods and Object metrics,
 * {@code externalRules:} for External ones; the Helm chart's {@code rules.custom} and
 * {@code rules.external} too), rendering the query the adapter runs for an HPA metric, as its
 * {@code naming.metricsQuery.Build}/{@code BuildExternal} do:
 * <ul>
 *   <li>{@code <<.Series>>}: the series whose name the rule turns into the metric's name;</li>
 *   <li>{@code <<.LabelMatchers>>}: the metric selector's requirements (by key), then
 *       {@code namespace="…"}, then the resource's label: for a Pods metric
 *       {@code pod=~"<workload's pod names>"}, for an Object metric {@code <label>="<object>"};</li>
 *   <li>{@code <<.GroupBy>>}: the resource's label (empty for External metrics).</li>
 * </ul>
 * The adapter lists the target's pods by name; Archscaler matches them by the names the workload's
 * controller gives them ({@code <deployment>-<hash>-<suffix>}, {@code <statefulset>-<ordinal>}).
 */
public final class AdapterRules {
    private final List<AdapterRule> rules;
    private final List<AdapterRule> externalRules;

    private AdapterRules(List<AdapterRule> rules, List<AdapterRule> externalRules) {
        this.rules = List.copyOf(rules);
        this.externalRules = List.copyOf(externalRules);
    }

    /** Reads a rules file; errors name the file and the rule. */
    public static AdapterRules load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new HpaTranslationException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static AdapterRules parse(String yaml, String fileName) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new HpaTranslationException(fileName + ": invalid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new HpaTranslationException(fileName + ": the file is empty");
        }
        Map<String, Object> top = AdapterRule.mapping(fileName, root);
        Object custom = top.get("rules");
        Object external = top.get("externalRules");
        String customName = "rules";
        String externalName = "externalRules";
        if (custom instanceof Map<?, ?> helm) {
            // the Helm chart's values: rules.custom and rules.external
            custom = helm.get("custom");
            external = helm.get("external");
            customName = "rules.custom";
            externalName = "rules.external";
        }
        List<AdapterRule> c = list(fileName + ": " + customName, custom);
        List<AdapterRule> e = list(fileName + ": " + externalName, external);
        if (c.isEmpty() && e.isEmpty()) {
            throw new HpaTranslationException(fileName + ": no rules (expected rules: or externalRules: with at least one rule)");
        }
        return new AdapterRules(c, e);
    }

    /** Rules for Pods and Object metrics, then rules for External metrics. */
    public int size() {
        return rules.size() + externalRules.size();
    }

    /** The {@code seriesQuery} of every rule whose series names must be discovered from Prometheus. */
    public List<String> seriesToDiscover() {
        TreeSet<String> out = new TreeSet<>();
        for (AdapterRule r : rules) {
            if (r.literalSeries() == null) {
                out.add(r.seriesQuery());
            }
        }
        for (AdapterRule r : externalRules) {
            if (r.literalSeries() == null) {
                out.add(r.seriesQuery());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The query prometheus-adapter runs for one metric of an HPA, or empty when no rule serves it
     * (and for Resource metrics, which the adapter's resource rules serve, not these).
     *
     * @param discovered series names Prometheus has for a {@code seriesQuery} (for rules whose
     *                   query does not name one series)
     */
    public Optional<String> query(HorizontalPodAutoscaler hpa, MetricSpec metric, Function<String, List<String>> discovered) {
        String namespace = hpa.getMetadata().getNamespace() == null ? "default" : hpa.getMetadata().getNamespace();
        if ("Pods".equals(metric.getType()) && metric.getPods() != null) {
            Optional<WorkloadRef> target = HpaTranslation.target(hpa);
            if (target.isEmpty()) {
                return Optional.empty();
            }
            return render(rules, metric.getPods().getMetric(), discovered, namespace, "Pod", "",
                    podNames(target.get()), true);
        }
        if ("Object".equals(metric.getType()) && metric.getObject() != null) {
            CrossVersionObjectReference o = metric.getObject().getDescribedObject();
            if (o == null || o.getKind() == null || o.getName() == null) {
                return Optional.empty();
            }
            return render(rules, metric.getObject().getMetric(), discovered, namespace, o.getKind(), group(o.getApiVersion()),
                    o.getName(), false);
        }
        if ("External".equals(metric.getType()) && metric.getExternal() != null) {
            return render(externalRules, metric.getExternal().getMetric(), discovered, namespace, null, null, null, false);
        }
        return Optional.empty();
    }

    private Optional<String> render(List<AdapterRule> candidates, MetricIdentifier id,
                                    Function<String, List<String>> discovered, String namespace, String kind,
                                    String group, String objectName, boolean regexName) {
        if (id == null || id.getName() == null) {
            return Optional.empty();
        }
        for (AdapterRule rule : candidates) {
            List<String> names = rule.literalSeries() != null ? List.of(rule.literalSeries())
                    : discovered.apply(rule.seriesQuery());
            for (String series : names) {
                if (!id.getName().equals(rule.metricName(series))) {
                    continue;
                }
                Optional<String> q = build(rule, series, id.getSelector(), namespace, kind, group, objectName, regexName);
                if (q.isPresent()) {
                    return q;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> build(AdapterRule rule, String series, LabelSelector selector, String namespace,
                                          String kind, String group, String objectName, boolean regexName) {
        List<String> exprs = new ArrayList<>();
        Map<String, String> valuesByName = new LinkedHashMap<>();
        selectorParts(rule, selector, exprs, valuesByName);
        boolean external = kind == null;
        String nsLabel = rule.labelFor("Namespace", "");
        if (!external || (rule.namespaced() && nsLabel != null)) {
            if (nsLabel == null) {
                return Optional.empty(); // the adapter cannot scope a namespaced request without a namespace label
            }
            exprs.add(nsLabel + "=" + GoText.quote(namespace));
            valuesByName.put(nsLabel, namespace);
        }
        String groupBy = "";
        if (!external) {
            String label = rule.labelFor(kind, group);
            if (label == null) {
                return Optional.empty();
            }
            exprs.add(label + (regexName ? "=~" : "=") + GoText.quote(objectName));
            valuesByName.put(label, objectName);
            groupBy = label;
        }
        String matchers = String.join(",", exprs);
        String by = groupBy;
        try {
            return Optional.of(GoText.render(rule.metricsQuery(), f -> switch (f[0]) {
                case "Series" -> series;
                case "LabelMatchers" -> matchers;
                case "GroupBy" -> by;
                case "GroupBySlice" -> "[" + by + "]";
                case "LabelValuesByName" -> f[1] == null ? null : valuesByName.getOrDefault(f[1], "");
                default -> null;
            }));
        } catch (IllegalArgumentException e) {
            throw new HpaTranslationException(rule.where() + ".metricsQuery: " + e.getMessage(), e);
        }
    }

    /** The metric selector as label matchers, by key, as {@code metricsQuery.processQueryParts} writes them. */
    private static void selectorParts(AdapterRule rule, LabelSelector selector, List<String> exprs,
                                      Map<String, String> valuesByName) {
        if (selector == null) {
            return;
        }
        record Part(String key, String operator, List<String> values) {
        }
        List<Part> parts = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> parts.add(new Part(k, "Equals", List.of(v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                List<String> values = r.getValues() == null ? List.of() : new ArrayList<>(new TreeSet<>(r.getValues()));
                parts.add(new Part(r.getKey(), r.getOperator(), values));
            }
        }
        parts.sort(java.util.Comparator.comparing(Part::key));
        for (Part p : parts) {
            String joined = String.join("|", p.values());
            boolean one = p.values().size() == 1;
            String expr = switch (p.operator()) {
                case "Equals" -> p.key() + (one ? "=" : "=~") + GoText.quote(joined);
                case "In" -> p.key() + "=~" + GoText.quote(joined);
                case "NotIn" -> p.key() + "!~" + GoText.quote(joined);
                case "Exists" -> p.key() + "!=\"\"";
                case "DoesNotExist" -> p.key() + "=\"\"";
                default -> throw new HpaTranslationException(rule.where() + ": metric selector operator " + p.operator()
                        + " cannot be turned into a Prometheus matcher");
            };
            exprs.add(expr);
            valuesByName.put(p.key(), joined);
        }
    }

    /** A regular expression for the names of the pods a workload's controller creates. */
    static String podNames(WorkloadRef target) {
        String name = target.name().replace(".", "\\.");
        return switch (target.kind()) {
            case "Deployment" -> name + "-[a-z0-9]+-[a-z0-9]+";
            case "StatefulSet" -> name + "-[0-9]+";
            case "ReplicaSet" -> name + "-[a-z0-9]+";
            default -> name + "-.*";
        };
    }

    private static String group(String apiVersion) {
        if (apiVersion == null || !apiVersion.contains("/")) {
            return "";
        }
        return apiVersion.substring(0, apiVersion.indexOf('/'));
    }

    private static List<AdapterRule> list(String where, Object node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> items)) {
            throw new HpaTranslationException(where + ": expected a list of rules");
        }
        List<AdapterRule> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(AdapterRule.parse(where + "[" + i + "]", items.get(i)));
        }
        return out;
    }
}
