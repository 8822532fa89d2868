package io.natalia.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.crypto.EncryptionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.AEADBadTagException;

/**
 * The web UI's one local admin account, kept in {@value #FILE_NAME} in the data folder and
 * encrypted with the configuration key.
 *
 * <p>Until a password is set, the account has a one-time setup code, made at start and shown
 * only in the agent's log and console; the first visit trades it for a password. The code is
 * forgotten once used. Deleting the file and restarting the agent starts over (NAT-AGT-009).
 * Thread-safe.
 */
final class AdminAccount {
  /** Name of the account file in the data folder. */
  static final String FILE_NAME = "web-admin.enc";
  /** Shortest admin password accepted. */
  static final int MIN_PASSWORD_LENGTH = 12;
  private static final byte[] ASSOCIATED_DATA = "web.admin".getBytes(StandardCharsets.UTF_8);
  /** No 0/O or 1/I/L, so that a code read from a console is typed right. */
  private static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  private static final int CODE_GROUPS = 3;
  private static final int CODE_GROUP_LENGTH = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final EncryptionKey key;
  private final SecureRandom random;
  private String passwordHash;
  private String setupCode;

  private AdminAccount(Path file, EncryptionKey key, SecureRandom random, String passwordHash) {
    this.file = file;
    this.key = key;
    this.random = random;
    this.passwordHash = passwordHash;
  }

  /**
   * Reads the account file, or starts without a password when it is missing.
   *
   * @throws IOException when the file cannot be read or decrypted with this key
   */
  static AdminAccount open(Path file, EncryptionKey key, SecureRandom random)
      throws IOException {
    if (Files.notExists(file)) {
      return new AdminAccount(file, key, random, null);
    }
    try {
      byte[] plain = key.open(Files.readAllBytes(file), ASSOCIATED_DATA);
      JsonNode root = JSON.readTree(plain);
      return new AdminAccount(file, key, random, root.path("passwordHash").asText(null));
    } catch (AEADBadTagException e) {
      throw new IOException("web UI account file " + file + " cannot be decrypted with the "
          + "agent key; delete it and restart the agent to get a new setup code (NAT-AGT-009)",
          e);
    }
  }

  /** Returns whether the admin password is set. */
  synchronized boolean isSetUp() {
    return passwordHash != null;
  }

  /**
   * Makes a new one-time setup code, replacing any earlier one, and returns it.
   *
   * @throws IllegalStateException when the password is already set
   */
  synchronized String newSetupCode() {
    if (passwordHash != null) {
      throw new IllegalStateException("the admin password is already set");
    }
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < CODE_GROUPS * CODE_GROUP_LENGTH; i++) {
      if (i > 0 && i % CODE_GROUP_LENGTH == 0) {
        code.append('-');
      }
      code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
    }
    setupCode = code.toString();
    return setupCode;
  }

  /**
   * Sets the admin password when {@code code} is the current setup code, then discards the code.
   *
   * @return whether the code matched; nothing changes when it did not
   * @throws IllegalArgumentException when the password is too short (the code stays valid)
   */
  synchronized boolean completeSetup(String code, String newPassword) throws IOException {
    if (passwordHash != null || setupCode == null || !sameCode(code, setupCode)) {
      return false;
    }
    requireStrong(newPassword);
    String hash = PasswordHash.hash(newPassword, random);
    write(hash);
    passwordHash = hash;
    setupCode = null;
    return true;
  }

  /** Returns whether {@code password} is the admin password. */
  boolean checkPassword(String password) {
    String hash;
    synchronized (this) {
      hash = passwordHash;
    }
    return hash != null && password != null && PasswordHash.verify(password, hash);
  }

  /** Checks the password rule; the message names the rule and the length given. */
  static void requireStrong(String password) {
    int length = password == null ? 0 : password.codePointCount(0, password.length());
    if (length < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException("The password must have at least "
          + MIN_PASSWORD_LENGTH + " characters; the one given has " + length + ".");
    }
  }

  private static boolean sameCode(String entered, String expected) {
    if (entered == null) {
      return false;
    }
    String normalized = entered.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    byte[] a = normalized.getBytes(StandardCharsets.UTF_8);
    byte[] b = expected.replace("-", "").getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(a, b);
  }

  private void write(String hash) throws IOException {
    byte[] plain = JSON.writeValueAsBytes(JSON.createObjectNode().put("passwordHash", hash));
    byte[] sealed = key.seal(plain, ASSOCIATED_DATA);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (Files.getFileAttributeView(file.toAbsolutePath().getParent(),
        PosixFileAttributeView.class) != null) {
      Files.createFile(temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(temporary, sealed);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
