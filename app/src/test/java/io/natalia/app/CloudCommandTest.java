package io.natalia.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.store.EmbeddedPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin commands beside a running embedded PostgreSQL, as beside a running cloud. */
class CloudCommandTest {
  @TempDir static Path folder;
  private static EmbeddedPostgresServer postgres;
  private static Path config;

  @BeforeAll
  static void startDatabase() throws Exception {
    config = folder.resolve("cloud.properties");
    Files.writeString(config, "data.dir=data\n");
    // The cloud's layout (data.dir/postgres/data), with binaries shared between test runs.
    Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "pg-binaries");
    postgres = EmbeddedPostgresServer.start(binaries,
        folder.resolve("data").resolve("postgres").resolve("data"), true);
  }

  @AfterAll
  static void stopDatabase() {
    postgres.close();
  }

  @Test
  void adminCommandsPrintSecretsOnce() {
    Result tenant = run("cloud", "tenant", "create", "--config", config.toString(),
        "--name", "Acme", "--time-zone", "Europe/Paris");
    Result user = run("cloud", "--config", config.toString(), "user", "add",
        "--tenant", "Acme", "--email", "Boss@Acme.example", "--role", "admin");
    Result agentKey = run("cloud", "agent-key", "create", "--config", config.toString(),
        "--tenant", "Acme", "--name", "site 1");
    Result token = run("cloud", "api-token", "create", "--config", config.toString(),
        "--tenant", "Acme", "--name", "reports", "--role", "analyst");

    assertThat(tenant.code()).as(tenant.err()).isZero();
    assertThat(tenant.out()).contains("Created tenant 'Acme'");
    assertThat(user.out()).contains("Added boss@acme.example").contains("as admin")
        .containsPattern("Initial password \\(shown once, not stored\\): \\S{20}");
    String key = find(agentKey.out(), "nat_ak_[a-z2-7]{12}\\.[A-Za-z0-9_-]{43}");
    assertThat(agentKey.out().strip().lines().reduce((first, second) -> second))
        .as("the key alone on the last line").contains(key);
    assertThat(find(token.out(), "nat_at_[a-z2-7]{12}\\.[A-Za-z0-9_-]{43}")).isNotEmpty();

    Result revoke = run("cloud", "agent-key", "revoke", "--config", config.toString(),
        "--tenant", "Acme", "--prefix", key.substring(0, key.indexOf('.')));
    Result again = run("cloud", "agent-key", "revoke", "--config", config.toString(),
        "--tenant", "Acme", "--prefix", key.substring(0, key.indexOf('.')));
    Result audit = run("cloud", "audit", "verify", "--config", config.toString(),
        "--tenant", "Acme");

    assertThat(revoke.out()).contains("Revoked nat_ak_");
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("has no valid key");
    assertThat(audit.out()).contains("intact: 5 entries");
  }

  @Test
  void unknownTenantAndRoleNamed() {
    Result tenant = run("cloud", "agent-key", "create", "--config", config.toString(),
        "--tenant", "Nobody", "--name", "x");
    run("cloud", "tenant", "create", "--config", config.toString(), "--name", "Roles");
    Result role = run("cloud", "api-token", "create", "--config", config.toString(),
        "--tenant", "Roles", "--name", "x", "--role", "owner");

    assertThat(tenant.code()).isNotZero();
    assertThat(tenant.err()).contains("no tenant named 'Nobody'");
    assertThat(role.code()).isNotZero();
    assertThat(role.err()).contains("role must be viewer, analyst, admin or auditor: 'owner'");
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine line = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = line.execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static String find(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as(text).isTrue();
    return matcher.group();
  }
}
