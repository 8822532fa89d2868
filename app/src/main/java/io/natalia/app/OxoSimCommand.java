package io.natalia.app;

import io.natalia.oxo.fault.Faults;
import io.natalia.oxo.server.Account;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natalia oxo-sim}: runs a fake OXO R10.2 PBX serving the CDR over IP HTTPS API. */
@Command(
    name = "oxo-sim",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a fake Alcatel-Lucent OmniPCX Office R10.2 that serves call records over HTTPS"
            + " (CDR over IP), with a generated company's traffic, a backlog of past days,"
            + " fault injection and a ground-truth admin endpoint.",
        "It runs until Ctrl-C (or --duration-seconds)."},
    subcommands = {OxoSimTruthCommand.class, OxoSimBenchCommand.class})
public final class OxoSimCommand implements Callable<Integer> {
  /** Tickets per extension and day of backlog, generously: 7 calls and transfer legs. */
  private static final int TICKETS_PER_EXTENSION_DAY = 20;
  private static final int REAL_OXO_CAPACITY = 1000;
  private static final int STOP_WAIT_SECONDS = 10;
  static final String PASSWORD_FILE = "collector-password";
  static final String ADMIN_TOKEN_FILE = "admin-token";

  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "30443",
      description = "HTTPS port: 443 or 30443 like the real PBX, 0 for any free port"
          + " (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to listen on; 0.0.0.0 lets agents on other machines connect"
          + " (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--state-dir", defaultValue = "${sys:user.home}/.natalia/oxo-sim",
      description = "Directory keeping the certificate, password and admin token across"
          + " restarts (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--zone", defaultValue = "Europe/Paris",
      description = "PBX time zone; ticket times are local to it (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--extensions", defaultValue = "40",
      description = "Extensions of the simulated company, 1 to 300 (default: ${DEFAULT-VALUE}).")
  int extensions;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seed of the traffic; the same seed gives the same calls"
          + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--calls-scale", defaultValue = "1.0",
      description = "Multiplies the call volume, 0.01 to 30; 1 is about 7 calls per extension"
          + " on a weekday (default: ${DEFAULT-VALUE}).")
  double callsScale;

  @Option(names = "--backlog-days", defaultValue = "7",
      description = "Days of past traffic written into the buffer at start"
          + " (default: ${DEFAULT-VALUE}).")
  int backlogDays;

  @Option(names = "--speed", defaultValue = "1",
      description = "How many times faster than real time the PBX clock runs"
          + " (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--buffer-capacity",
      description = "Tickets the PBX keeps before it drops new ones; the real OXO keeps 1000"
          + " (default: room for the whole backlog, at least 1000).")
  Integer bufferCapacity;

  @Option(names = "--page-cap", defaultValue = "500",
      description = "Maximum records in one response (default: ${DEFAULT-VALUE}).")
  int pageCap;

  @Option(names = "--fault", paramLabel = "NAME=VALUE",
      description = "Fault to inject from the start, repeatable: server-errors=N,"
          + " too-many-requests=N, retry-after-seconds=S, slow-response-millis=MS,"
          + " cut-connections=N, malformed-records=N, half-written-records=N,"
          + " duplicate-across-pages=true, token-lifetime-seconds=S, clock-offset-minutes=M.")
  List<String> faults = new ArrayList<>();

  @Option(names = "--login", defaultValue = Account.COLLECTOR_LOGIN,
      description = "Account name agents log in with (default: ${DEFAULT-VALUE}).")
  String login;

  @Option(names = "--password",
      description = "Password of that account (default: a random one, kept in the state"
          + " directory).")
  String password;

  @Option(names = "--without-cdr-operator-profile",
      description = "Give the account no CDR operator profile: reading records returns 403.")
  boolean withoutCdrOperatorProfile;

  @Option(names = "--cdr-over-ip-disabled",
      description = "Start with the CDR over IP service disabled: reading records returns 404.")
  boolean cdrOverIpDisabled;

  @Option(names = "--admin-token",
      description = "Bearer token of the admin endpoints (default: a random one, kept in the"
          + " state directory).")
  String adminToken;

  @Option(names = "--duration-seconds", defaultValue = "0",
      description = "Stop after this many seconds; 0 runs until Ctrl-C"
          + " (default: ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (backlogDays < 0 || backlogDays > 3650) {
      throw new ParameterException(spec.commandLine(),
          "--backlog-days must be between 0 and 3650: " + backlogDays);
    }
    ZoneId pbxZone = parseZone(zone);
    TrafficSettings settings = trafficSettings(pbxZone);
    String user = "the OXO simulator's HTTPS server";
    try {
      // Before the state directory gets its password and token files.
      PortCheck.requireFree(host, port, user, "--port");
    } catch (PortCheck.PortInUseException e) {
      spec.commandLine().getErr().println("natalia oxo-sim: " + e.getMessage());
      return PortCheck.EXIT_CODE;
    }

    String collectorPassword = password != null ? password : secret(PASSWORD_FILE);
    String admin = adminToken != null ? adminToken : secret(ADMIN_TOKEN_FILE);
    OxoSimulator.Builder builder = OxoSimulator.builder()
        .host(host).port(port).stateDir(stateDir).zone(pbxZone)
        .traffic(new TrafficGenerator(seed, settings))
        .backlog(Duration.ofDays(backlogDays)).speed(speed)
        .bufferCapacity(bufferCapacity != null ? bufferCapacity
            : backlogCapacity(backlogDays, extensions, callsScale))
        .pageCap(pageCap)
        .account(new Account(login, collectorPassword, !withoutCdrOperatorProfile))
        .cdrOverIpEnabled(!cdrOverIpDisabled).adminToken(admin);
    applyFaults(builder.faults());

    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM ends when its shutdown hooks return: wait for the simulator to close first.
    Thread stopOnCtrlC = new Thread(() -> {
      stopped.countDown();
      try {
        closed.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "oxo-sim-stop");
    OxoSimulator started;
    try {
      started = builder.start();
    } catch (IOException e) {
      if (!PortCheck.isBindFailure(e)) {
        throw e;
      }
      spec.commandLine().getErr().println("natalia oxo-sim: "
          + PortCheck.message(host, port, user, "--port"));
      return PortCheck.EXIT_CODE;
    }
    try (OxoSimulator pbx = started) {
      Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
      printBanner(pbx, collectorPassword);
      if (durationSeconds > 0) {
        stopped.await(durationSeconds, TimeUnit.SECONDS);
      } else {
        stopped.await();
      }
    } finally {
      closed.countDown();
    }
    if (stopped.getCount() > 0) {
      Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
    }
    return 0;
  }

  private TrafficSettings trafficSettings(ZoneId pbxZone) {
    try {
      return TrafficSettings.builder().zone(pbxZone).extensions(extensions)
          .callsPerDayScale(callsScale).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid traffic setting: "
          + e.getMessage());
    }
  }

  private void applyFaults(Faults target) {
    for (String fault : faults) {
      int equals = fault.indexOf('=');
      if (equals < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid --fault '" + fault
            + "': expected NAME=VALUE such as server-errors=3");
      }
      try {
        target.set(fault.substring(0, equals), fault.substring(equals + 1));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "Invalid --fault '" + fault + "': "
            + e.getMessage());
      }
    }
  }

  private ZoneId parseZone(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new ParameterException(spec.commandLine(), "Invalid --zone '" + value
          + "': expected a region id such as Europe/Paris");
    }
  }

  /** Reads a secret kept in the state directory, or creates it (readable by the owner only). */
  private String secret(String fileName) throws IOException {
    Path file = stateDir.resolve(fileName);
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.createDirectories(stateDir);
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own permissions protect the file.
    }
    return secret;
  }

  private void printBanner(OxoSimulator pbx, String collectorPassword) {
    PrintWriter out = spec.commandLine().getOut();
    out.println("OXO simulator (fake OmniPCX Office R10.2) is running.");
    out.println("  URL:          " + pbx.baseUri());
    out.println("  Certificate:  SHA-256 " + pbx.fingerprintSha256());
    out.println("  Login:        " + login + " / " + collectorPassword);
    out.println("  Admin token:  " + pbx.adminToken());
    out.println("  State dir:    " + stateDir);
    out.println("  Zone:         " + pbx.zone());
    out.println("  Buffer:       " + pbx.bufferStatus());
    out.println("Ground truth:  natalia oxo-sim truth --url " + pbx.baseUri() + " --token "
        + pbx.adminToken() + " --fingerprint " + pbx.fingerprintSha256()
        + " --from <date> --to <date>");
    out.println(durationSeconds > 0 ? "Stops after " + durationSeconds + " s."
        : "Press Ctrl-C to stop.");
    out.flush();
  }

  /**
   * Returns a buffer capacity that holds a backlog of {@code days} whole, so that an agent
   * started after the simulator reads every call of it: about 20 tickets per extension and
   * day (7 calls and their transfer legs, generously), and never below the real OXO's 1000.
   */
  static int backlogCapacity(long days, int extensions, double callsScale) {
    double tickets = Math.ceil(days * extensions * TICKETS_PER_EXTENSION_DAY * callsScale);
    return (int) Math.max(REAL_OXO_CAPACITY, Math.min(Integer.MAX_VALUE / 2, tickets));
  }
}
