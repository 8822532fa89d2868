package io.natalia.app;

import ch.qos.logback.classic.Level;
import io.natalia.cloud.alert.AlertMailer;
import io.natalia.cloud.alert.AlertSchedule;
import io.natalia.cloud.alert.SmtpAlertMailer;
import io.natalia.cloud.audit.AuditLog;
import io.natalia.cloud.auth.ApiKeys;
import io.natalia.cloud.auth.ApiKeys.IssuedKey;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.auth.Users;
import io.natalia.cloud.service.CloudConfig;
import io.natalia.cloud.service.CloudParts;
import io.natalia.cloud.service.CloudService;
import io.natalia.cloud.tenant.Tenant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code natalia cloud}: runs the multi-tenant cloud, and its admin commands (tenants, users,
 * agent keys, API tokens). Admin commands work beside a running cloud on the same data folder.
 */
@Command(
    name = "cloud",
    mixinStandardHelpOptions = true,
    description = {"Runs the Natalia cloud over HTTPS: ingest, storage, analytics.",
        "With no database.url configured it runs an embedded PostgreSQL under data.dir."},
    subcommands = {
        CloudCommand.TenantCommand.class,
        CloudCommand.UserCommand.class,
        CloudCommand.AgentKeyCommand.class,
        CloudCommand.ApiTokenCommand.class,
        CloudCommand.AuditCommand.class})
public final class CloudCommand implements Callable<Integer> {
  /** Actor name of the admin commands in the audit log. */
  static final String ADMIN_ACTOR = "admin-cli";

  @Option(names = "--config", required = true, scope = ScopeType.INHERIT,
      description = "Configuration file (properties); relative paths in it are relative to it.")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    CloudConfig settings = load(spec, config);
    PrintWriter err = spec.commandLine().getErr();
    String user = "the cloud's HTTPS server (dashboard, API, ingest)";
    String option = "listen.port in " + config;
    try {
      // Before the embedded PostgreSQL starts, so that a taken port leaves nothing running.
      PortCheck.requireFree(settings.host(), settings.port(), user, option);
    } catch (PortCheck.PortInUseException e) {
      err.println("natalia cloud: " + e.getMessage());
      return PortCheck.EXIT_CODE;
    }
    CloudParts parts = CloudParts.open(settings, Clock.systemUTC());
    AlertMailer mailer = SmtpAlertMailer.of(settings.smtp());
    CloudService service;
    try {
      service = CloudService.start(settings, parts, CloudRoutes.over(parts, mailer));
    } catch (RuntimeException e) {
      parts.close();
      if (!PortCheck.isBindFailure(e)) {
        throw e;
      }
      err.println("natalia cloud: "
          + PortCheck.message(settings.host(), settings.port(), user, option));
      return PortCheck.EXIT_CODE;
    }
    AlertSchedule alerts = AlertSchedule.start(parts, mailer);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Natalia cloud listening on https://%s:%d%n", settings.host(), service.port());
    out.printf("Dashboard: https://%s:%d/ (sign in as a user added by"
        + " 'natalia cloud user add')%n", settings.host(), service.port());
    out.printf("Certificate SHA-256 fingerprint (agents may pin it): %s%n",
        fingerprint(service));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      alerts.close();
      service.close();
      parts.close();
      stopped.countDown();
    }, "cloud-shutdown"));
    stopped.await();
    return 0;
  }

  private static String fingerprint(CloudService service) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(service.certificate().getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (java.security.GeneralSecurityException e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }

  static CloudConfig load(CommandSpec spec, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), "configuration file not found: " + file
          + " (an empty file runs the defaults: embedded PostgreSQL under ./data, port "
          + CloudConfig.DEFAULT_PORT + ")");
    }
    try {
      return CloudConfig.load(file);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** Shared by the admin commands: quiet logs, open the stores, run, close. */
  abstract static class AdminCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
          org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
      CloudConfig settings = load(spec, cloudCommand().config);
      try (CloudParts parts = CloudParts.open(settings, Clock.systemUTC())) {
        return run(parts, spec.commandLine().getOut());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
    }

    abstract int run(CloudParts parts, PrintWriter out) throws Exception;

    /** Returns the {@code cloud} command, whose field receives the inherited --config. */
    private CloudCommand cloudCommand() {
      for (CommandSpec at = spec; at != null; at = at.parent()) {
        if (at.userObject() instanceof CloudCommand cloud) {
          return cloud;
        }
      }
      throw new IllegalStateException(spec.qualifiedName() + " must run under natalia cloud");
    }

    Tenant tenant(CloudParts parts, String name) {
      return parts.tenants().findByName(name).orElseThrow(() -> new ParameterException(
          spec.commandLine(), "no tenant named '" + name + "' (natalia cloud tenant create)"));
    }
  }

  @Command(name = "tenant", description = "Manages tenants.", mixinStandardHelpOptions = true,
      subcommands = TenantCommand.Create.class)
  static final class TenantCommand {
    @Command(name = "create", description = "Creates a tenant.", mixinStandardHelpOptions = true)
    static final class Create extends AdminCommand {
      @Option(names = "--name", required = true, description = "Name, unique.")
      String name;

      @Option(names = "--time-zone", defaultValue = "Europe/Paris",
          description = "Zone of every day and hour shown (default: ${DEFAULT-VALUE}).")
      String timeZone;

      @Option(names = "--currency", defaultValue = "EUR",
          description = "ISO 4217 code of costs (default: ${DEFAULT-VALUE}).")
      String currency;

      @Option(names = "--retention-days", defaultValue = "730",
          description = "Records older than this are removed (default: ${DEFAULT-VALUE}).")
      int retentionDays;

      @Override
      int run(CloudParts parts, PrintWriter out) {
        Tenant tenant = parts.tenants().create(name, timeZone, currency, retentionDays,
            ADMIN_ACTOR);
        out.printf("Created tenant '%s' (id %d, %s, %s, retention %d days)%n", tenant.name(),
            tenant.id(), tenant.timeZone(), tenant.currency(), tenant.retentionDays());
        out.printf("Next: natalia cloud user add --config <file> --tenant '%s'"
            + " --email <e-mail> --role admin%n", tenant.name());
        return 0;
      }
    }
  }

  @Command(name = "user", description = "Manages users.", mixinStandardHelpOptions = true,
      subcommands = UserCommand.Add.class)
  static final class UserCommand {
    @Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Adds a user to a tenant.",
            "Without --password-stdin a random password is generated and printed once."})
    static final class Add extends AdminCommand {
      @Option(names = "--tenant", required = true, description = "Tenant name.")
      String tenant;

      @Option(names = "--email", required = true, description = "Login e-mail address.")
      String email;

      @Option(names = "--role", required = true,
          description = "viewer, analyst, admin or auditor.")
      String role;

      @Option(names = "--password-stdin",
          description = "Read the password from the first line of standard input.")
      boolean passwordFromStdin;

      @Override
      int run(CloudParts parts, PrintWriter out) throws IOException {
        Tenant owner = tenant(parts, tenant);
        Role parsed = Role.parse(role);
        char[] password = passwordFromStdin ? readLine() : generatedPassword();
        Users.User user = parts.users().add(owner.id(), email, parsed, password, ADMIN_ACTOR);
        out.printf("Added %s to tenant '%s' as %s%n", user.email(), owner.name(),
            parsed.name().toLowerCase(java.util.Locale.ROOT));
        if (!passwordFromStdin) {
          out.printf("Initial password (shown once, not stored): %s%n", new String(password));
        }
        return 0;
      }

      private static char[] readLine() throws IOException {
        String line = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8)).readLine();
        if (line == null) {
          throw new IllegalArgumentException("--password-stdin: standard input is empty");
        }
        return line.toCharArray();
      }

      private static char[] generatedPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        char[] password = new char[20];
        for (int i = 0; i < password.length; i++) {
          password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return password;
      }
    }
  }

  @Command(name = "agent-key", description = "Manages the keys agents post records with.",
      mixinStandardHelpOptions = true,
      subcommands = {AgentKeyCommand.Create.class, AgentKeyCommand.Revoke.class})
  static final class AgentKeyCommand {
    @Command(name = "create", description = "Creates an agent key; prints it once.",
        mixinStandardHelpOptions = true)
    static final class Create extends AdminCommand {
      @Option(names = "--tenant", required = true, description = "Tenant name.")
      String tenant;

      @Option(names = "--name", required = true, description = "What uses it (site, host).")
      String name;

      @Override
      int run(CloudParts parts, PrintWriter out) {
        Tenant owner = tenant(parts, tenant);
        IssuedKey key = parts.apiKeys().create(owner.id(), ApiKeys.Kind.AGENT, name, null,
            ADMIN_ACTOR);
        printKey(out, "Agent key", owner, key,
            "Paste it into the agent's setup page (cloud API key); it is not shown again.");
        return 0;
      }
    }

    @Command(name = "revoke", description = "Revokes an agent key or API token at once.",
        mixinStandardHelpOptions = true)
    static final class Revoke extends AdminCommand {
      @Option(names = "--tenant", required = true, description = "Tenant name.")
      String tenant;

      @Option(names = "--prefix", required = true,
          description = "Public part of the key (nat_ak_... before the dot).")
      String prefix;

      @Override
      int run(CloudParts parts, PrintWriter out) {
        Tenant owner = tenant(parts, tenant);
        String publicPart = prefix.contains(".") ? prefix.substring(0, prefix.indexOf('.'))
            : prefix;
        if (!parts.apiKeys().revoke(owner.id(), publicPart, ADMIN_ACTOR)) {
          throw new ParameterException(spec.commandLine(), "tenant '" + owner.name()
              + "' has no valid key " + publicPart);
        }
        out.printf("Revoked %s of tenant '%s'; requests with it now get 401 NAT-API-001%n",
            publicPart, owner.name());
        return 0;
      }
    }
  }

  @Command(name = "api-token", description = "Manages tokens of the JSON API.",
      mixinStandardHelpOptions = true, subcommands = ApiTokenCommand.Create.class)
  static final class ApiTokenCommand {
    @Command(name = "create", description = "Creates an API token; prints it once.",
        mixinStandardHelpOptions = true)
    static final class Create extends AdminCommand {
      @Option(names = "--tenant", required = true, description = "Tenant name.")
      String tenant;

      @Option(names = "--name", required = true, description = "What uses it.")
      String name;

      @Option(names = "--role", defaultValue = "viewer",
          description = "Permissions of the token: viewer, analyst, admin or auditor"
              + " (default: ${DEFAULT-VALUE}).")
      String role;

      @Override
      int run(CloudParts parts, PrintWriter out) {
        Tenant owner = tenant(parts, tenant);
        IssuedKey key = parts.apiKeys().create(owner.id(), ApiKeys.Kind.API_TOKEN, name,
            Role.parse(role), ADMIN_ACTOR);
        printKey(out, "API token", owner, key,
            "Send it as Authorization: Bearer <token>; it is not shown again.");
        return 0;
      }
    }
  }

  @Command(name = "audit", description = "Checks the audit log.",
      mixinStandardHelpOptions = true, subcommands = AuditCommand.Verify.class)
  static final class AuditCommand {
    @Command(name = "verify", description = "Checks every link of a tenant's audit chain.",
        mixinStandardHelpOptions = true)
    static final class Verify extends AdminCommand {
      @Option(names = "--tenant", required = true, description = "Tenant name.")
      String tenant;

      @Override
      int run(CloudParts parts, PrintWriter out) {
        Tenant owner = tenant(parts, tenant);
        AuditLog.Verification result = parts.auditLog().verify(owner.id());
        if (result.intact()) {
          out.printf("Audit log of '%s' intact: %d entries%n", owner.name(), result.entries());
          return 0;
        }
        out.printf("Audit log of '%s' BROKEN after %d good entries: %s%n", owner.name(),
            result.entries(), result.problem());
        return 2;
      }
    }
  }

  private static void printKey(PrintWriter out, String what, Tenant owner, IssuedKey key,
      String hint) {
    // The secret comes last and alone on its line, so a script can take it with `tail -n 1`.
    out.printf("%s for tenant '%s', id prefix %s. %s%nShown once, store it now:%n%s%n", what,
        owner.name(), key.prefix(), hint, key.key());
  }
}
