package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natalia.agent.crypto.EncryptionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccountTest {
  private static final String PASSWORD = "twelve chars or more";

  @TempDir
  Path dir;

  @Test
  void setupCodeWorksOnlyOnce() throws IOException {
    AdminAccount account = open();
    String code = account.newSetupCode();

    assertThat(account.completeSetup(code, PASSWORD)).isTrue();

    assertThat(account.isSetUp()).isTrue();
    assertThat(account.checkPassword(PASSWORD)).isTrue();
    assertThat(account.checkPassword(PASSWORD + "x")).isFalse();
    assertThat(account.completeSetup(code, "another password!")).isFalse();
    assertThat(open().checkPassword(PASSWORD)).isTrue();
  }

  @Test
  void wrongSetupCodeChangesNothing() throws IOException {
    AdminAccount account = open();
    String code = account.newSetupCode();

    assertThat(account.completeSetup("ABCD-EFGH-JKMN", PASSWORD)).isFalse();

    assertThat(account.isSetUp()).isFalse();
    assertThat(Files.exists(dir.resolve(AdminAccount.FILE_NAME))).isFalse();
    assertThat(account.completeSetup(code.toLowerCase(java.util.Locale.ROOT), PASSWORD)).isTrue();
  }

  @Test
  void shortPasswordRejectedCodeStaysValid() throws IOException {
    AdminAccount account = open();
    String code = account.newSetupCode();

    assertThatThrownBy(() -> account.completeSetup(code, "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The password must have at least 12 characters; the one given has 5.");
    assertThat(account.completeSetup(code, PASSWORD)).isTrue();
  }

  @Test
  void accountFileEncryptedOwnerOnly() throws IOException {
    AdminAccount account = open();
    account.completeSetup(account.newSetupCode(), PASSWORD);
    Path file = dir.resolve(AdminAccount.FILE_NAME);

    String raw = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);

    assertThat(raw).doesNotContain("argon2", "passwordHash");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void foreignKeyErrorNamesReset() throws IOException {
    AdminAccount account = open();
    account.completeSetup(account.newSetupCode(), PASSWORD);
    Files.delete(dir.resolve("agent.key"));

    assertThatThrownBy(this::open).isInstanceOf(IOException.class)
        .hasMessageContaining("NAT-AGT-009");
  }

  private AdminAccount open() throws IOException {
    return AdminAccount.open(dir.resolve(AdminAccount.FILE_NAME),
        EncryptionKey.loadOrCreate(dir.resolve("agent.key")), new SecureRandom());
  }
}
