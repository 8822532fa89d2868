package io.natalia.agent.web;

import io.natalia.agent.crypto.SelfSignedCertificate;
import io.natalia.agent.crypto.TrustStores;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate the admin provides for the web UI in place of the self-signed one: the PEM
 * files {@value #CERTIFICATE_FILE} (the chain, server certificate first) and {@value #KEY_FILE}
 * (its unencrypted private key) in the data folder. At each start they replace the key store
 * the HTTPS server loads; without them the agent keeps its self-signed certificate.
 */
final class ProvidedCertificate {
  static final String CERTIFICATE_FILE = "web-certificate.pem";
  static final String KEY_FILE = "web-key.pem";
  /** Key store the agent's HTTPS server loads, created self-signed when missing. */
  static final String KEY_STORE_FILE = "web-tls.p12";
  private static final Logger log = LoggerFactory.getLogger(ProvidedCertificate.class);

  private ProvidedCertificate() {}

  /**
   * Writes the provided certificate and key into the server's key store when both files are
   * present; does nothing when neither is.
   *
   * @throws IOException when only one file is present, or either cannot be read
   */
  static void importIfPresent(Path dataDir, char[] keyStorePassword) throws IOException {
    Path certificateFile = dataDir.resolve(CERTIFICATE_FILE);
    Path keyFile = dataDir.resolve(KEY_FILE);
    boolean hasCertificate = Files.exists(certificateFile);
    boolean hasKey = Files.exists(keyFile);
    if (!hasCertificate && !hasKey) {
      return;
    }
    if (!hasCertificate || !hasKey) {
      throw new IOException("web UI certificate incomplete: " + (hasKey ? certificateFile
          : keyFile) + " is missing; provide both PEM files, or remove the other one to use "
          + "the self-signed certificate");
    }
    Certificate[] chain = readChain(certificateFile);
    KeyStore store = keyStore(readKey(keyFile), chain, keyStorePassword);
    write(store, dataDir.resolve(KEY_STORE_FILE), keyStorePassword);
    X509Certificate server = (X509Certificate) chain[0];
    log.info("Web UI uses the provided certificate {} ({}, SHA-256 {})", certificateFile,
        server.getSubjectX500Principal().getName(), TrustStores.sha256Fingerprint(server));
  }

  private static Certificate[] readChain(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IOException("no certificate found in " + file);
      }
      return certificates.toArray(new Certificate[0]);
    } catch (GeneralSecurityException e) {
      throw new IOException("invalid certificate in " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object pem = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (pem instanceof PEMKeyPair pair) {
        // An EC key written without its public part has no public key info: use only the
        // private part, which is all the key store needs.
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (pem instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IOException("no unencrypted private key found in " + file + " (expected "
          + "BEGIN PRIVATE KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
    }
  }

  private static KeyStore keyStore(PrivateKey key, Certificate[] chain, char[] password)
      throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(SelfSignedCertificate.ALIAS, key, password, chain);
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("the private key of " + KEY_FILE + " does not fit the certificate "
          + "of " + CERTIFICATE_FILE + ": " + e.getMessage(), e);
    }
  }

  private static void write(KeyStore store, Path file, char[] password) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (Files.getFileAttributeView(file.toAbsolutePath().getParent(),
        PosixFileAttributeView.class) != null) {
      Files.createFile(temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (OutputStream out = Files.newOutputStream(temporary)) {
      store.store(out, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the key store " + file, e);
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
