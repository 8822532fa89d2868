package io.natalia.cloud.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}).
 *
 * <p>The default cost is OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane,
 * about 30 ms per hash on this class of machine. Verification reads the cost from the stored
 * string, so raising the default later keeps old hashes valid. Thread-safe.
 */
public final class PasswordHasher {
  /** Shortest password accepted. */
  public static final int MIN_LENGTH = 12;

  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int memoryKib;
  private final int iterations;

  public PasswordHasher() {
    this(19_456, 2);
  }

  /** Uses another cost; tests use a small one. */
  public PasswordHasher(int memoryKib, int iterations) {
    this.memoryKib = memoryKib;
    this.iterations = iterations;
  }

  /**
   * Returns the PHC string of a new hash of {@code password}.
   *
   * @throws IllegalArgumentException when the password is shorter than {@link #MIN_LENGTH}
   */
  public String hash(char[] password) {
    if (password.length < MIN_LENGTH) {
      throw new IllegalArgumentException("password must be at least " + MIN_LENGTH
          + " characters (got " + password.length + ")");
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, 1, 32);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** Returns whether {@code password} matches a PHC string made by {@link #hash}. */
  public boolean verify(char[] password, String phc) {
    Matcher parts = PHC.matcher(phc);
    if (!parts.matches()) {
      return false;
    }
    byte[] expected = B64_DECODER.decode(parts.group(5));
    byte[] actual = derive(password, B64_DECODER.decode(parts.group(4)),
        Integer.parseInt(parts.group(1)), Integer.parseInt(parts.group(2)),
        Integer.parseInt(parts.group(3)), expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(
      char[] password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(lanes)
        .withSalt(salt)
        .build());
    byte[] passwordBytes = toUtf8(password);
    byte[] hash = new byte[length];
    try {
      generator.generateBytes(passwordBytes, hash);
      return hash;
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
    }
  }

  private static byte[] toUtf8(char[] password) {
    var buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    Arrays.fill(buffer.array(), (byte) 0);
    return bytes;
  }
}
