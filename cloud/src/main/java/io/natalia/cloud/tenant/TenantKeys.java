package io.natalia.cloud.tenant;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one tenant, derived from its 32-byte secret: the pseudonym key (HMAC-SHA-256 of
 * phone numbers) and the reveal key (AES-256-GCM of full numbers).
 *
 * <p>Thread-safe: each thread keeps its own initialised {@link Mac} and cipher, since making
 * them is slower than using them.
 */
public final class TenantKeys {
  /** Hex characters of a pseudonym: 128 bits, plenty against collisions within a tenant. */
  public static final int PSEUDONYM_LENGTH = 32;

  private final SecretKeySpec pseudonymKey;
  private final SecretKeySpec revealKey;
  private final ThreadLocal<Mac> pseudonymMac;

  TenantKeys(byte[] secret) {
    this.pseudonymKey = new SecretKeySpec(derive(secret, "natalia pseudonym v1"), "HmacSHA256");
    this.revealKey = new SecretKeySpec(derive(secret, "natalia reveal v1"), "AES");
    this.pseudonymMac = ThreadLocal.withInitial(() -> mac(pseudonymKey));
  }

  /** Returns the tenant's pseudonym of a phone number, or null for null. */
  public String pseudonym(String number) {
    if (number == null) {
      return null;
    }
    byte[] digest = pseudonymMac.get().doFinal(
        PhoneNumbers.normalize(number).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, PSEUDONYM_LENGTH);
  }

  /** Encrypts a full number for the audited reveal. */
  public byte[] encryptNumber(String number) {
    return MasterKey.Aes.seal(revealKey, number.getBytes(StandardCharsets.UTF_8));
  }

  /** Decrypts a number sealed by {@link #encryptNumber}. */
  public String decryptNumber(byte[] sealed) {
    return new String(MasterKey.Aes.open(revealKey, sealed), StandardCharsets.UTF_8);
  }

  private static byte[] derive(byte[] secret, String purpose) {
    return hmac(new SecretKeySpec(secret, "HmacSHA256"), purpose);
  }

  private static byte[] hmac(SecretKeySpec key, String text) {
    return mac(key).doFinal(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "TenantKeys[redacted]";
  }

  static byte[] newSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  static void wipe(byte[] secret) {
    Arrays.fill(secret, (byte) 0);
  }
}
