package io.archscaler.controlplane;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * A throw-away certificate authority for a control plane on loopback: it signs the API server's
 * serving certificate, the client certificates of the admin and of each component, and any
 * serving certificate a test needs (a webhook), all as PEM the Go binaries and Java read alike.
 */
public final class CertificateAuthority {
    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final String SIGNATURE = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X500Name name;
    private final X509CertificateHolder certificate;

    private CertificateAuthority(KeyPair keys, X500Name name, X509CertificateHolder certificate) {
        this.keys = keys;
        this.name = name;
        this.certificate = certificate;
    }

    /** A new self-signed CA named {@code commonName}. */
    public static CertificateAuthority create(String commonName) {
        KeyPair keys = rsaKeyPair();
        X500Name name = subject(commonName, List.of());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, name, sign(builder, keys));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    /** The CA certificate, PEM. */
    public String certificatePem() {
        return pem("CERTIFICATE", encoded(certificate));
    }

    /** The CA certificate, base64 of its PEM: a webhook's {@code caBundle}, a kubeconfig's certificate-authority-data. */
    public String certificateBase64() {
        return PemKeyPair.base64(certificatePem());
    }

    /**
     * A serving certificate for {@code hosts}: each is put in the subject alternative names as an IP
     * address when it is one ({@code 127.0.0.1}) and as a DNS name otherwise.
     */
    public PemKeyPair issueServer(String commonName, List<String> hosts) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            names.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
        }
        return issue(subject(commonName, List.of()), KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /**
     * A client certificate: the API server reads the user name from the common name and the groups
     * from the organizations ({@code system:masters} is the admin group).
     */
    public PemKeyPair issueClient(String user, List<String> groups) {
        return issue(subject(user, groups), KeyPurposeId.id_kp_clientAuth, null);
    }

    /** A fresh RSA key pair, PEM (PKCS#8 private key, X.509 public key), e.g. for service-account token signing. */
    public static PemKeyPair signingKeyPair() {
        KeyPair keys = rsaKeyPair();
        return new PemKeyPair(pem("PUBLIC KEY", keys.getPublic().getEncoded()),
                pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    private PemKeyPair issue(X500Name subject, KeyPurposeId purpose, GeneralNames alternativeNames) {
        KeyPair leaf = rsaKeyPair();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, subject, leaf.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(keys.getPublic()));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            return new PemKeyPair(pem("CERTIFICATE", encoded(sign(builder, keys))), pem("PRIVATE KEY", leaf.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key) {
        // a minute back: the Go binaries must not see a certificate from the future on a clock that lags
        Instant now = Instant.now().minus(Duration.ofMinutes(1));
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                Date.from(now), Date.from(now.plus(VALIDITY)), subject, key);
    }

    private static X509CertificateHolder sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static X500Name subject(String commonName, List<String> organizations) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> b.addRDN(BCStyle.O, o));
        return b.addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator in this JDK", e);
        }
    }

    private static boolean isIpAddress(String host) {
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(host); // a literal: parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
