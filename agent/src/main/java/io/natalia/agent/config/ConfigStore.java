package io.natalia.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.agent.crypto.EncryptionKey;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's configuration file, with its secrets encrypted at rest.
 *
 * <p>The file is JSON that an admin may edit by hand. Secrets ({@code pbx.password},
 * {@code cloud.apiKey}, {@code web.metricsToken}) are stored as {@code enc:v1:<base64>}: AES-GCM
 * with the key in {@code agent.key} beside the file, bound to the field name. A secret written
 * in plain text is accepted and the file is rewritten at once with it encrypted.
 *
 * <p>Changes take effect without a restart: {@link #update} (the web UI) and
 * {@link #reloadIfChanged} (a hand edit, checked by the agent before each poll) tell every
 * listener. Thread-safe.
 */
public final class ConfigStore {
  /** Name of the key file, created beside the configuration file. */
  public static final String KEY_FILE_NAME = "agent.key";

  private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);
  private static final String ENCRYPTED_PREFIX = "enc:v1:";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final EncryptionKey key;
  private final List<Consumer<AgentConfig>> listeners = new CopyOnWriteArrayList<>();
  private volatile AgentConfig current;
  private FileTime loadedModifiedTime;

  private ConfigStore(Path file, EncryptionKey key) {
    this.file = file;
    this.key = key;
  }

  /**
   * Reads and validates the configuration file, creating the key file when missing and
   * encrypting any secret found in plain text.
   *
   * @throws ConfigException naming the first invalid field
   * @throws IOException when the file or the key cannot be read or written
   */
  public static ConfigStore open(Path file) throws ConfigException, IOException {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.notExists(absolute)) {
      throw new IOException("configuration file not found: " + absolute
          + " (docs/agent.md shows the format)");
    }
    ConfigStore store = new ConfigStore(absolute,
        EncryptionKey.loadOrCreate(absolute.resolveSibling(KEY_FILE_NAME)));
    store.load();
    return store;
  }

  /**
   * Opens the configuration file like {@link #open}, or creates it when missing: then the agent
   * starts with its defaults (data folder {@code data} beside the file, web UI on port 8443) and
   * waits for the PBX and cloud settings the admin enters in the web UI. A file containing only
   * some sections (the data folder, the web port) is read as it is; the others stay to configure.
   *
   * @throws ConfigException naming the first invalid field
   * @throws IOException when the file, its folder or the key cannot be read or written
   */
  public static ConfigStore openOrCreate(Path file) throws ConfigException, IOException {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.exists(absolute)) {
      return open(absolute);
    }
    Files.createDirectories(absolute.getParent());
    ConfigStore store = new ConfigStore(absolute,
        EncryptionKey.loadOrCreate(absolute.resolveSibling(KEY_FILE_NAME)));
    AgentConfig config = ConfigJson.read(JSON.createObjectNode(), absolute.getParent(),
        store.new PlainTextTracker());
    config.validate();
    store.write(config);
    store.current = config;
    log.info("Created the configuration file {}; enter the PBX and cloud settings in the web UI",
        absolute);
    return store;
  }

  /** Returns the configuration in effect. */
  public AgentConfig current() {
    return current;
  }

  /** Returns the configuration file's path. */
  public Path file() {
    return file;
  }

  /** Returns the key that encrypts the configuration secrets and the disk buffer. */
  public EncryptionKey key() {
    return key;
  }

  /** Registers a listener called with the new configuration after each change. */
  public void addListener(Consumer<AgentConfig> listener) {
    listeners.add(listener);
  }

  /**
   * Validates, stores (atomically, secrets encrypted) and applies a new configuration.
   *
   * @throws ConfigException naming the first invalid field; nothing is changed then
   */
  public synchronized void update(AgentConfig config) throws ConfigException, IOException {
    config.validate();
    write(config);
    apply(config);
    log.info("Configuration updated: PBX {} at {}:{}, cloud {}", config.pbx().id(),
        config.pbx().host(), config.pbx().port(), config.cloud().url());
  }

  /**
   * Reloads the file when it changed on disk since it was last read.
   *
   * @return whether a new configuration was applied
   * @throws ConfigException when the edited file is invalid; the previous configuration stays
   */
  public synchronized boolean reloadIfChanged() throws ConfigException, IOException {
    if (Files.getLastModifiedTime(file).equals(loadedModifiedTime)) {
      return false;
    }
    load();
    log.info("Configuration reloaded from {}", file);
    return true;
  }

  private void load() throws ConfigException, IOException {
    JsonNode root;
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // Windows editors start UTF-8 files with a byte order mark.
      root = JSON.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (CharacterCodingException e) {
      throw new ConfigException("(file)", file + " is not UTF-8 text; save it as UTF-8", e);
    } catch (IOException e) {
      throw new ConfigException("(file)", "invalid JSON in " + file + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    PlainTextTracker tracker = new PlainTextTracker();
    AgentConfig config = ConfigJson.read(root, file.getParent(), tracker);
    config.validate();
    if (tracker.foundPlainText) {
      write(config);
      log.info("Encrypted the plain-text secrets of {}", file);
    }
    loadedModifiedTime = Files.getLastModifiedTime(file);
    apply(config);
  }

  private void apply(AgentConfig config) {
    current = config;
    for (Consumer<AgentConfig> listener : listeners) {
      listener.accept(config);
    }
  }

  private void write(AgentConfig config) throws IOException {
    String text = JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(ConfigJson.write(config, new PlainTextTracker()));
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
      Files.createFile(temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    loadedModifiedTime = Files.getLastModifiedTime(file);
  }

  /** Encrypts secrets and notes whether any was read in plain text. */
  private final class PlainTextTracker implements ConfigJson.SecretCodec {
    private boolean foundPlainText;

    @Override
    public String encode(String field, Secret secret) {
      byte[] sealed = key.seal(secret.value().getBytes(StandardCharsets.UTF_8),
          field.getBytes(StandardCharsets.UTF_8));
      return ENCRYPTED_PREFIX + Base64.getEncoder().encodeToString(sealed);
    }

    @Override
    public Secret decode(String field, String stored) throws ConfigException {
      if (!stored.startsWith(ENCRYPTED_PREFIX)) {
        foundPlainText = true;
        return new Secret(stored);
      }
      try {
        byte[] sealed = Base64.getDecoder().decode(stored.substring(ENCRYPTED_PREFIX.length()));
        byte[] plain = key.open(sealed, field.getBytes(StandardCharsets.UTF_8));
        return new Secret(new String(plain, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException | AEADBadTagException e) {
        throw new ConfigException(field, "cannot be decrypted with " + KEY_FILE_NAME
            + " (the key file was replaced, or the value was altered); enter the secret "
            + "again in plain text", e);
      }
    }
  }
}
