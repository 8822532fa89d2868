package io.natalia.agent.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The agent's AES-256 key and authenticated encryption (AES-GCM) with it.
 *
 * <p>The key lives in a file of 32 random bytes that only the agent's user may read (mode
 * {@code 600}); a key file readable by group or others is rejected, since anyone who reads it
 * reads the PBX password and the buffered records. A sealed value is {@code nonce (12 bytes) ||
 * ciphertext || tag (16 bytes)}; the associated data binds it to its place (a record id, a
 * configuration field), so a value moved elsewhere fails to open.
 *
 * <p>Thread-safe.
 */
public final class EncryptionKey {
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** How many bytes a sealed value has beyond its plain text: the nonce and the tag. */
  public static final int SEAL_OVERHEAD = NONCE_BYTES + TAG_BITS / 8;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(EncryptionKey::newCipher);

  private EncryptionKey(byte[] keyBytes) {
    this.key = new SecretKeySpec(keyBytes, "AES");
  }

  /**
   * Reads the key file, or creates it with a fresh random key and mode {@code 600} when it is
   * missing.
   *
   * @throws IOException when the file cannot be read or written, has the wrong size, or is
   *     readable by group or others
   */
  public static EncryptionKey loadOrCreate(Path file) throws IOException {
    if (Files.notExists(file)) {
      try {
        create(file);
      } catch (FileAlreadyExistsException e) {
        // Another process created it first: read theirs.
      }
    }
    checkOwnerOnly(file);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != KEY_BYTES) {
      throw new IOException("key file " + file + " must hold " + KEY_BYTES + " bytes, found "
          + bytes.length + "; restore it from backup (without it the configuration secrets and "
          + "the disk buffer cannot be read)");
    }
    return new EncryptionKey(bytes);
  }

  /** Encrypts {@code plain}, binding it to {@code associatedData}. */
  public byte[] seal(byte[] plain, byte[] associatedData) {
    byte[] out = new byte[plain.length + SEAL_OVERHEAD];
    seal(plain, 0, plain.length, associatedData, out, 0);
    return out;
  }

  /**
   * Encrypts {@code length} bytes of {@code plain} from {@code offset} on, as {@link #seal},
   * into {@code out} from {@code outOffset} on.
   *
   * @return the bytes written: {@code length + SEAL_OVERHEAD}
   */
  public int seal(byte[] plain, int offset, int length, byte[] associatedData, byte[] out,
      int outOffset) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      System.arraycopy(nonce, 0, out, outOffset, NONCE_BYTES);
      return NONCE_BYTES
          + cipher.doFinal(plain, offset, length, out, outOffset + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts {@code length} bytes of {@code sealed} from {@code offset} on, sealed by {@link
   * #seal}, into {@code out} from {@code outOffset} on.
   *
   * @return the bytes written: {@code length - SEAL_OVERHEAD}
   * @throws AEADBadTagException as {@link #open(byte[], byte[])}
   */
  public int open(byte[] sealed, int offset, int length, byte[] associatedData, byte[] out,
      int outOffset) throws AEADBadTagException {
    if (length < SEAL_OVERHEAD) {
      throw new AEADBadTagException("sealed value too short: " + length + " bytes");
    }
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, key,
          new GCMParameterSpec(TAG_BITS, sealed, offset, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, offset + NONCE_BYTES, length - NONCE_BYTES, out, outOffset);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /**
   * Decrypts a value sealed by {@link #seal}.
   *
   * @throws AEADBadTagException when the value was altered, sealed with another key or bound
   *     to other associated data
   */
  public byte[] open(byte[] sealed, byte[] associatedData) throws AEADBadTagException {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new AEADBadTagException("sealed value too short: " + sealed.length + " bytes");
    }
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, key,
          new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /**
   * Derives a secret for one purpose (HMAC-SHA256 of the purpose, Base64), such as the password
   * of the web server's key store. The same key and purpose always give the same secret.
   */
  public char[] derivePassword(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] digest = mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(digest).toCharArray();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides HmacSHA256", e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (isPosix(parent)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(file);
    }
    Files.write(file, bytes);
  }

  private static void checkOwnerOnly(Path file) throws IOException {
    if (!isPosix(file.toAbsolutePath().getParent())) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException("key file " + file + " must be readable only by its owner, found "
          + PosixFilePermissions.toString(permissions) + "; run: chmod 600 " + file);
    }
  }

  private static boolean isPosix(Path path) {
    return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides AES/GCM/NoPadding", e);
    }
  }
}
