package io.natalia.agent.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates and keeps a self-signed TLS certificate (EC P-256) in a PKCS#12 key store, for the
 * agent's HTTPS server and for tests' fake servers.
 */
public final class SelfSignedCertificate {
  /** Alias of the key entry in the key store. */
  public static final String ALIAS = "server";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private SelfSignedCertificate() {}

  /**
   * Returns a key store holding a new key pair and a certificate for these host names and IP
   * addresses (subject alternative names).
   */
  public static KeyStore create(String commonName, List<String> hosts, char[] password) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + commonName);
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, names(hosts));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {certificate});
      return store;
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a self-signed certificate", e);
    }
  }

  /**
   * Loads the key store of {@code file}, or creates one for {@code localhost}, the loopback
   * addresses and this machine's host name and writes it (mode 600) when missing.
   */
  public static KeyStore loadOrCreate(Path file, char[] password) throws IOException {
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, password);
        return store;
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot read the key store " + file + ": " + e.getMessage(), e);
      }
    }
    List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      hosts.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // A machine without a resolvable name: localhost and loopback are enough.
    }
    KeyStore store = create("Natalia agent", hosts, password);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the key store " + file, e);
    }
    try {
      Files.setPosixFilePermissions(file,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the folder's permissions protect it.
    }
    return store;
  }

  /** Returns the certificate of the key store's entry. */
  public static X509Certificate certificate(KeyStore store) {
    try {
      return (X509Certificate) store.getCertificate(ALIAS);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("key store not initialized", e);
    }
  }

  private static GeneralNames names(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      boolean ip = host.matches("[0-9.]+") || host.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }
}
