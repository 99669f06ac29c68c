package io.archscaler.hpa;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.function.Function;

/**
 * The two pieces of Go text handling prometheus-adapter rules rely on: RE2 patterns (re2j, the
 * same syntax and linear-time matching as Go's regexp, so a rule means here what it means to the
 * adapter) with Go's
 * {@code Regexp.Expand} templates ({@code $1}, {@code ${1}}, {@code $name}), and the
 * {@code <<.Field>>} actions of a metricsQuery template.
 */
final class GoText {
    private static final Pattern ACTION = Pattern.compile("<<-?\\s*(.*?)\\s*-?>>");
    private static final Pattern FIELD = Pattern.compile("\\.([A-Za-z]+)(?:\\.([A-Za-z0-9_]+))?");

    private GoText() {
    }

    /** Compiles a Go (RE2) regular expression, {@code (?P<name>…)} groups included. */
    static Pattern compile(String regex) throws PatternSyntaxException {
        return Pattern.compile(regex);
    }

    /** Go's {@code Regexp.Expand}: {@code $$} is a dollar, {@code $name} and {@code ${name}} a group (name or number). */
    static String expand(String template, Matcher match) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length() && isNameChar(template.charAt(end))) {
                    end++;
                }
                name = template.substring(i + 1, end);
            }
            if (name.isEmpty() || !name.chars().allMatch(ch -> isNameChar((char) ch))) {
                out.append(c);
                i++;
                continue;
            }
            out.append(group(match, name));
            i = end;
        }
        return out.toString();
    }

    /**
     * Renders {@code <<.Field>>} and {@code <<.Field.key>>} actions with {@code fields}; any other
     * action is refused, naming it.
     */
    static String render(String template, Function<String[], String> fields) {
        Matcher m = ACTION.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher f = FIELD.matcher(m.group(1));
            if (!f.matches()) {
                throw new IllegalArgumentException("unsupported template action <<" + m.group(1) + ">>");
            }
            String value = fields.apply(new String[] {f.group(1), f.group(2)});
            if (value == null) {
                throw new IllegalArgumentException("unknown template field <<" + m.group(1) + ">>");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A PromQL string literal as Go's {@code %q} writes it. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A group by number or name; Go expands a group that does not exist to nothing. */
    private static String group(Matcher match, String name) {
        String g;
        if (name.chars().allMatch(Character::isDigit)) {
            int index;
            try {
                index = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return "";
            }
            g = index > match.groupCount() ? null : match.group(index);
        } else {
            try {
                g = match.group(name);
            } catch (IllegalArgumentException e) {
                g = null;
            }
        }
        return g == null ? "" : g;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
