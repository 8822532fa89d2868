package io.natalia.cloud.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service's key-encryption key: AES-256-GCM over the tenants' secrets.
 *
 * <p>Sealed values are {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}. Losing the
 * master key makes every tenant secret, hence every stored full number, unreadable; pseudonyms
 * of new records would no longer match old ones. Thread-safe.
 */
public final class MasterKey {
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private MasterKey(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "master key must be " + KEY_BYTES + " bytes (base64 of 32 random bytes), got "
              + key.length + " bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** Reads a master key given as base64 (44 characters). */
  public static MasterKey fromBase64(String base64) {
    try {
      return new MasterKey(Base64.getDecoder().decode(base64.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("master key is not valid base64: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the master key from {@code file}, creating the file with a new random key, readable
   * by its owner only, when it does not exist.
   */
  public static MasterKey fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the master key file " + file, e);
    }
  }

  /** Returns a new random key; for tests. */
  public static MasterKey random() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  private static void create(Path file) throws IOException {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return;
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n");
  }

  /** Encrypts {@code plain} under this key with a fresh nonce. */
  public byte[] seal(byte[] plain) {
    return Aes.seal(key, plain);
  }

  /**
   * Decrypts a value sealed by {@link #seal}.
   *
   * @throws IllegalStateException when the value was sealed under another key or altered
   */
  public byte[] open(byte[] sealed) {
    return Aes.open(key, sealed);
  }

  /**
   * AES-256-GCM with a random 96-bit nonce in front of the ciphertext. Each thread keeps its
   * cipher and nonce generator: looking them up costs more than encrypting a phone number.
   */
  static final class Aes {
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(Aes::newCipher);
    /**
     * A DRBG seeded once per thread: the default generator on Linux takes a lock shared by all
     * threads and mixes in kernel randomness for every nonce, one nonce per stored number.
     */
    private static final ThreadLocal<SecureRandom> NONCES =
        ThreadLocal.withInitial(Aes::newNonceSource);

    private Aes() {}

    private static Cipher newCipher() {
      try {
        return Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is not available", e);
      }
    }

    private static SecureRandom newNonceSource() {
      try {
        return SecureRandom.getInstance("DRBG");
      } catch (GeneralSecurityException e) {
        return new SecureRandom();
      }
    }

    static byte[] seal(SecretKeySpec key, byte[] plain) {
      byte[] nonce = new byte[NONCE_BYTES];
      NONCES.get().nextBytes(nonce);
      try {
        Cipher cipher = CIPHER.get();
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plain.length));
        out.put(nonce);
        out.put(cipher.doFinal(plain));
        return out.array();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is not available", e);
      }
    }

    static byte[] open(SecretKeySpec key, byte[] sealed) {
      if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new IllegalStateException("sealed value too short: " + sealed.length + " bytes");
      }
      try {
        Cipher cipher = CIPHER.get();
        cipher.init(Cipher.DECRYPT_MODE, key,
            new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, NONCE_BYTES)));
        return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            "could not decrypt: sealed under another key, or altered", e);
      }
    }
  }
}
