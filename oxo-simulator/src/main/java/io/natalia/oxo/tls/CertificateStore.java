package io.natalia.oxo.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates the simulator's self-signed certificate on first start and keeps it in the state
 * directory, so that its fingerprint stays the same across restarts (an agent pins it).
 */
public final class CertificateStore {
  /** File name of the PKCS#12 key store inside the state directory. */
  public static final String FILE_NAME = "oxo-simulator-tls.p12";

  /**
   * Password of the key store file. The file is protected by the state directory's
   * permissions, like the key of a real PBX; a password here would only be a second copy.
   */
  private static final char[] FILE_PASSWORD = "oxo-simulator".toCharArray();

  private static final Duration VALIDITY = Duration.ofDays(3650);

  private CertificateStore() {}

  /**
   * Loads the identity kept in {@code stateDir}, or creates one and writes it there.
   *
   * @throws IOException when the directory cannot be read or written, or the file is damaged
   */
  public static TlsIdentity loadOrCreate(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return load(file);
    }
    TlsIdentity identity = generate();
    Files.createDirectories(stateDir);
    Path partial = stateDir.resolve(FILE_NAME + ".partial");
    try (OutputStream out = Files.newOutputStream(partial)) {
      identity.keyStore(FILE_PASSWORD).store(out, FILE_PASSWORD);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the simulator's key store " + partial, e);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return identity;
  }

  /** Generates a new EC P-256 key pair and a certificate for localhost and 127.0.0.1. */
  public static TlsIdentity generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new TlsIdentity(pair.getPrivate(), selfSigned(pair));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot create the simulator's certificate", e);
    }
  }

  private static TlsIdentity load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, FILE_PASSWORD);
      PrivateKey key = (PrivateKey) store.getKey(TlsIdentity.KEY_ALIAS, FILE_PASSWORD);
      X509Certificate certificate = (X509Certificate) store.getCertificate(TlsIdentity.KEY_ALIAS);
      if (key == null || certificate == null) {
        throw new IOException("key store " + file + " has no entry '" + TlsIdentity.KEY_ALIAS
            + "': delete the file to create a new certificate (agents must then pin it again)");
      }
      return new TlsIdentity(key, certificate);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the simulator's key store " + file
          + ": delete the file to create a new certificate (agents must then pin it again)", e);
    }
  }

  private static X509Certificate selfSigned(KeyPair pair)
      throws OperatorCreationException, CertIOException, GeneralSecurityException {
    X500Name subject = new X500Name("CN=OXO simulator,O=Natalia");
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(64, new SecureRandom());
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject,
        pair.getPublic());
    GeneralNames names = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
    builder.addExtension(Extension.subjectAlternativeName, false, names);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
