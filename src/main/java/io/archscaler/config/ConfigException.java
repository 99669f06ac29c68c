package io.archscaler.config;

/**
 * A configuration the operator must fix, with a message that names the file, the line and the
 * key ({@code config.yaml:7: nodeGroups[0].minSize: must not be negative (got -1)}).
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same error with a hint in parentheses after it. */
    ConfigException withHint(String hint) {
        return new ConfigException(getMessage() + " (" + hint + ")");
    }

    /** {@code file:line: keyPath: message}, or {@code file:line: message} when there is no key. */
    static ConfigException at(String file, int line, String keyPath, String message) {
        String where = keyPath == null || keyPath.isEmpty() ? "" : keyPath + ": ";
        return new ConfigException(file + ":" + line + ": " + where + message);
    }
}
