package io.natalia.app;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * What a demo run keeps for the next one, in {@code demo.properties} of the demo folder: the
 * traffic seed, the simulator's account password and admin token, and the demo users'
 * passwords, so that a second run prints the same credentials and the agent's configuration
 * stays valid. The file is readable by its owner only. It contains demo passwords in plain
 * text, which no production path does.
 */
final class DemoState {
  static final String FILE_NAME = "demo.properties";
  private static final String ALPHABET =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Properties values;

  private DemoState(Path file, Properties values) {
    this.file = file;
    this.values = values;
  }

  /** Reads the state of the demo folder, or starts an empty one when the file is missing. */
  static DemoState load(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    Properties values = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        values.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the demo state " + file
            + "; run natalia demo --fresh to start over", e);
      }
    }
    return new DemoState(file, values);
  }

  /** Returns the stored value of {@code key}, storing a new random secret first if missing. */
  String secret(String key, int length) {
    String value = values.getProperty(key);
    if (value == null) {
      value = randomText(length);
      values.setProperty(key, value);
    }
    return value;
  }

  /** Returns the stored value of {@code key}, or null. */
  String value(String key) {
    return values.getProperty(key);
  }

  /** Stores {@code value} under {@code key}; {@link #save()} writes it. */
  void put(String key, String value) {
    values.setProperty(key, value);
  }

  /** Returns the stored number of {@code key}, storing a new random one first if missing. */
  long number(String key) {
    String value = values.getProperty(key);
    if (value == null) {
      value = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE);
      values.setProperty(key, value);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(file + ": " + key + " must be a whole number: '" + value
          + "'; run natalia demo --fresh to start over", e);
    }
  }

  /** Writes the state atomically, readable by its owner only. */
  void save() {
    try {
      StringWriter text = new StringWriter();
      values.store(text, "natalia demo: credentials of this demo folder (demo use only)");
      Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
      Files.deleteIfExists(temporary);
      if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
        Files.createFile(temporary,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the demo state " + file, e);
    }
  }

  private static String randomText(int length) {
    char[] text = new char[length];
    for (int i = 0; i < length; i++) {
      text[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(text);
  }
}
