package io.archscaler.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A certificate (or public key) and its private key, both PEM, as the control plane's files hold them. */
public record PemKeyPair(String certificatePem, String privateKeyPem) {

    /** Writes {@code <name>.crt} and {@code <name>.key} (owner-only) into {@code dir}; returns the pair's paths. */
    public Written write(Path dir, String name) {
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        try {
            Files.writeString(crt, certificatePem);
            Files.writeString(key, privateKeyPem);
            key.toFile().setReadable(false, false);
            key.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Written(crt, key);
    }

    /** The certificate, base64 of its PEM, as a kubeconfig's {@code *-data} fields and a webhook's caBundle take it. */
    public String certificateBase64() {
        return base64(certificatePem);
    }

    /** The private key, base64 of its PEM. */
    public String privateKeyBase64() {
        return base64(privateKeyPem);
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** Where a pair was written. */
    public record Written(Path certificate, Path privateKey) {
    }
}
