package io.archscaler.scaler;

/**
 * Kubernetes' syntax for label keys and values (apimachinery's validation), checked by hand
 * because the planner runs it for every term it matches and a regular expression costs more.
 */
final class LabelSyntax {
    private static final int NAME_MAX = 63;
    private static final int PREFIX_MAX = 253;

    private LabelSyntax() {
    }

    /** A label value: empty, or up to 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
    static boolean isValue(String v) {
        return v != null && (v.isEmpty() || isName(v));
    }

    /** A label key: an optional DNS-subdomain prefix and '/', then a name as for values but not empty. */
    static boolean isQualifiedName(String key) {
        if (key == null) {
            return false;
        }
        int slash = key.indexOf('/');
        if (slash < 0) {
            return isName(key);
        }
        return isDnsSubdomain(key.substring(0, slash)) && isName(key.substring(slash + 1));
    }

    private static boolean isName(String s) {
        if (s.isEmpty() || s.length() > NAME_MAX || !alnum(s.charAt(0)) || !alnum(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** Lower-case alphanumerics, '-' and '.', each dot-separated part starting and ending alphanumeric. */
    private static boolean isDnsSubdomain(String s) {
        if (s.isEmpty() || s.length() > PREFIX_MAX) {
            return false;
        }
        for (String part : s.split("\\.", -1)) {
            if (part.isEmpty() || !lowerAlnum(part.charAt(0)) || !lowerAlnum(part.charAt(part.length() - 1))) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (!lowerAlnum(c) && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean lowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
