package io.archscaler.providers;

import io.archscaler.cloud.ProviderException;

/** Provider failures as one line for people: provider, call, error code and message, never a stack trace. */
public final class ProviderErrors {
    /** How the AWS SDK starts its report when no credentials provider of its default chain had any. */
    static final String NO_CREDENTIALS = "Unable to load credentials from any of the providers in the chain";

    private ProviderErrors() {
    }

    /**
     * {@code eks DescribeNodegroup: AccessDeniedException: User: … is not authorized …} on one line; the
     * SDK's report of every credentials provider it tried is cut to what was tried.
     */
    public static String oneLine(ProviderException e) {
        String message = String.valueOf(e.getMessage());
        int chain = message.indexOf(NO_CREDENTIALS);
        if (chain >= 0) {
            message = message.substring(0, chain) + "no AWS credentials found (tried the environment, system"
                    + " properties, the AWS profile, web identity (IRSA), the container endpoint (EKS Pod Identity)"
                    + " and the instance profile)";
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
