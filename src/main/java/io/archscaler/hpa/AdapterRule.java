package io.archscaler.hpa;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One discovery rule of a prometheus-adapter configuration: which series it serves
 * ({@code seriesQuery}, {@code seriesFilters}), which labels name Kubernetes resources
 * ({@code resources.overrides}, {@code resources.template}), how series names become metric names
 * ({@code name.matches}/{@code name.as}) and the query template ({@code metricsQuery}).
 *
 * @param literalSeries the one series name {@code seriesQuery} selects, or null when the names
 *                      must be discovered from Prometheus
 * @param overrides     Prometheus label → resource, as written ({@code pod}, {@code namespaces})
 */
record AdapterRule(String where, String seriesQuery, String literalSeries, List<Pattern> keep, List<Pattern> drop,
                   Map<String, String> overrides, String resourceTemplate, boolean namespaced, Pattern nameMatches,
                   String nameAs, String metricsQuery) {
    private static final Pattern PLAIN_NAME = Pattern.compile("\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*(\\{.*})?\\s*",
            Pattern.DOTALL);
    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*(=~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LITERAL_REGEX = Pattern.compile("\\^?([A-Za-z_:][A-Za-z0-9_:]*)\\$?");

    AdapterRule {
        keep = List.copyOf(keep);
        drop = List.copyOf(drop);
        overrides = Map.copyOf(overrides);
    }

    /** Reads one rule from its YAML mapping; {@code where} names it in errors ({@code adapter.yaml: rules[0]}). */
    static AdapterRule parse(String where, Object node) {
        Map<String, Object> rule = mapping(where, node);
        String seriesQuery = text(where, rule, "seriesQuery");
        String metricsQuery = text(where, rule, "metricsQuery");
        List<Pattern> keep = new ArrayList<>();
        List<Pattern> drop = new ArrayList<>();
        Object filters = rule.get("seriesFilters");
        if (filters != null) {
            if (!(filters instanceof List<?> list)) {
                throw new HpaTranslationException(where + ".seriesFilters: expected a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String f = where + ".seriesFilters[" + i + "]";
                Map<String, Object> filter = mapping(f, list.get(i));
                if (filter.containsKey("is") == filter.containsKey("isNot")) {
                    throw new HpaTranslationException(f + ": give exactly one of is and isNot");
                }
                if (filter.containsKey("is")) {
                    keep.add(regex(f + ".is", text(f, filter, "is")));
                } else {
                    drop.add(regex(f + ".isNot", text(f, filter, "isNot")));
                }
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        String template = null;
        boolean namespaced = true;
        if (rule.get("resources") != null) {
            Map<String, Object> resources = mapping(where + ".resources", rule.get("resources"));
            if (resources.get("overrides") != null) {
                Map<String, Object> o = mapping(where + ".resources.overrides", resources.get("overrides"));
                for (Map.Entry<String, Object> e : o.entrySet()) {
                    String f = where + ".resources.overrides." + e.getKey();
                    overrides.put(e.getKey(), text(f, mapping(f, e.getValue()), "resource").toLowerCase(Locale.ROOT));
                }
            }
            if (resources.get("template") != null) {
                template = text(where + ".resources", resources, "template");
            }
            if (resources.get("namespaced") instanceof Boolean b) {
                namespaced = b;
            }
        }
        Pattern matches = Pattern.compile(".*");
        String as = null;
        if (rule.get("name") != null) {
            Map<String, Object> name = mapping(where + ".name", rule.get("name"));
            if (name.get("matches") != null) {
                matches = regex(where + ".name.matches", text(where + ".name", name, "matches"));
            }
            if (name.get("as") != null) {
                as = text(where + ".name", name, "as");
            }
        }
        if (as == null || as.isEmpty()) {
            int groups = matches.matcher("").groupCount();
            if (groups > 1) {
                throw new HpaTranslationException(where + ".name.as: required when name.matches has more than one group");
            }
            as = groups == 0 ? "$0" : "$1";
        }
        return new AdapterRule(where, seriesQuery, literalSeries(seriesQuery), keep, drop, overrides, template,
                namespaced, matches, as, metricsQuery);
    }

    /** The metric name this rule gives a series, or null when the rule does not serve it. */
    String metricName(String series) {
        for (Pattern p : keep) {
            if (!p.matcher(series).find()) {
                return null;
            }
        }
        for (Pattern p : drop) {
            if (p.matcher(series).find()) {
                return null;
            }
        }
        Matcher m = nameMatches.matcher(series);
        return m.find() ? GoText.expand(nameAs, m) : null;
    }

    /**
     * The Prometheus label naming a resource of this kind ({@code Pod}, {@code Service}), from
     * the overrides or else the template; null when the rule maps none.
     */
    String labelFor(String kind, String group) {
        String k = kind.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String r = e.getValue();
            int dot = r.indexOf('.');
            String resource = dot < 0 ? r : r.substring(0, dot);
            if (resource.equals(k) || resource.equals(k + "s") || resource.equals(k + "es")) {
                return e.getKey();
            }
        }
        if (resourceTemplate == null) {
            return null;
        }
        return GoText.render(resourceTemplate, f -> switch (f[0]) {
            case "Resource" -> k;
            case "Group" -> group;
            default -> null;
        });
    }

    private static String literalSeries(String seriesQuery) {
        Matcher plain = PLAIN_NAME.matcher(seriesQuery);
        if (plain.matches()) {
            return plain.group(1);
        }
        Matcher name = NAME_MATCHER.matcher(seriesQuery);
        if (name.find()) {
            if ("=".equals(name.group(1))) {
                return name.group(2);
            }
            Matcher literal = LITERAL_REGEX.matcher(name.group(2));
            if (literal.matches()) {
                return literal.group(1);
            }
        }
        return null;
    }

    private static Pattern regex(String where, String text) {
        try {
            return GoText.compile(text);
        } catch (PatternSyntaxException e) {
            throw new HpaTranslationException(where + ": invalid regular expression \"" + text + "\": "
                    + e.getDescription());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(String where, Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new HpaTranslationException(where + ": expected a mapping");
        }
        return (Map<String, Object>) m;
    }

    private static String text(String where, Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new HpaTranslationException(where + "." + key + ": missing");
        }
        if (!(v instanceof String s)) {
            throw new HpaTranslationException(where + "." + key + ": expected a string");
        }
        return s;
    }
}
