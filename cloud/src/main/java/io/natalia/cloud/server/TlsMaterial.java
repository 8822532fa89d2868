package io.natalia.cloud.server;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's certificate chain and private key, read from PEM files.
 *
 * <p>Without a configured certificate the cloud makes a self-signed one on first start (EC
 * P-256, for {@code localhost}, {@code 127.0.0.1} and the host name, valid 10 years) and keeps
 * it, so that agents pinning it keep working across restarts.
 */
public final class TlsMaterial {
  /** Password of the in-memory key store; it never leaves this process. */
  static final char[] KEY_STORE_PASSWORD = "natalia".toCharArray();
  private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

  private final KeyStore keyStore;
  private final X509Certificate certificate;

  private TlsMaterial(KeyStore keyStore, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.certificate = certificate;
  }

  /** Reads a certificate chain and its private key from PEM files. */
  public static TlsMaterial fromPem(Path certificateFile, Path privateKeyFile) {
    try {
      List<X509Certificate> chain = readCertificates(certificateFile);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("no certificate found in " + certificateFile);
      }
      PrivateKey key = readPrivateKey(privateKeyFile);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, KEY_STORE_PASSWORD,
          chain.toArray(new X509Certificate[0]));
      return new TlsMaterial(store, chain.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the TLS certificate " + certificateFile
          + " or key " + privateKeyFile, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS certificate " + certificateFile + " or key "
          + privateKeyFile + " is not usable: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code <folder>/tls-certificate.pem} and {@code tls-private-key.pem}, creating a
   * self-signed pair there first when missing.
   */
  public static TlsMaterial selfSigned(Path folder) {
    Path certificateFile = folder.resolve("tls-certificate.pem");
    Path keyFile = folder.resolve("tls-private-key.pem");
    if (!Files.exists(certificateFile) || !Files.exists(keyFile)) {
      createSelfSigned(certificateFile, keyFile);
    }
    return fromPem(certificateFile, keyFile);
  }

  /** Returns the key store holding the key under alias {@code server}. */
  public KeyStore keyStore() {
    return keyStore;
  }

  /** Returns the server's own certificate (first of the chain); clients may pin it. */
  public X509Certificate certificate() {
    return certificate;
  }

  private static void createSelfSigned(Path certificateFile, Path keyFile) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      X509Certificate certificate = selfSign(pair);
      Files.createDirectories(certificateFile.toAbsolutePath().getParent());
      writeSecret(keyFile, pkcs8Pem(pair.getPrivate()));
      Files.writeString(certificateFile, pem(certificate));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the self-signed certificate "
          + certificateFile, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not create a self-signed certificate", e);
    }
  }

  private static X509Certificate selfSign(KeyPair pair)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name("CN=natalia-cloud");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(SELF_SIGNED_VALIDITY)), name, pair.getPublic());
    List<GeneralName> names = new ArrayList<>(List.of(
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    String host = hostName();
    if (host != null && !host.equals("localhost")) {
      names.add(new GeneralName(GeneralName.dNSName, host));
    }
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(names.toArray(new GeneralName[0])));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  private static List<X509Certificate> readCertificates(Path file)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    }
    return chain;
  }

  private static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    }
    throw new IOException("no unencrypted private key found in " + file);
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /** PKCS#8 keeps the curve with the key, which every reader understands. */
  private static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static void writeSecret(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, content);
  }
}
