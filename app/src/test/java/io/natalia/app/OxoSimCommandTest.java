package io.natalia.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OxoSimCommandTest {
  @TempDir Path stateDir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  @Test
  void oxoSimPrintsUrlFingerprintAndLogin() throws Exception {
    int code = run("oxo-sim", "--port", "0", "--state-dir", stateDir.toString(),
        "--extensions", "5", "--backlog-days", "1", "--duration-seconds", "1");

    String password = Files.readString(stateDir.resolve(OxoSimCommand.PASSWORD_FILE)).strip();
    assertThat(code).isZero();
    assertThat(out.toString()).contains("URL:          https://127.0.0.1:", "SHA-256 ",
        "Login:        natalia-collector / " + password, "Admin token:  ");
  }

  @Test
  void defaultBufferHoldsTheWholeBacklog() {
    // The busiest settings of the walkthroughs: 40 extensions, a week, over a weekday-rich span.
    TrafficGenerator traffic = new TrafficGenerator(1,
        TrafficSettings.builder().extensions(40).build());
    Instant end = Instant.parse("2026-12-04T18:00:00Z");
    int tickets = 0;
    for (var written = traffic.ticketsWritten(end.minus(Duration.ofDays(7)), end);
        written.hasNext(); written.next()) {
      tickets++;
    }

    assertThat(tickets).isGreaterThan(1000);
    assertThat(OxoSimCommand.backlogCapacity(7, 40, 1.0)).isGreaterThanOrEqualTo(tickets);
    assertThat(OxoSimCommand.backlogCapacity(0, 40, 1.0)).isEqualTo(1000);
    assertThat(OxoSimCommand.backlogCapacity(7, 40, 3.0))
        .isEqualTo(3 * OxoSimCommand.backlogCapacity(7, 40, 1.0));
  }

  @Test
  void oxoSimKeepsPasswordAcrossRestarts() throws Exception {
    run("oxo-sim", "--port", "0", "--state-dir", stateDir.toString(), "--extensions", "2",
        "--backlog-days", "0", "--duration-seconds", "1");
    String first = Files.readString(stateDir.resolve(OxoSimCommand.PASSWORD_FILE));

    run("oxo-sim", "--port", "0", "--state-dir", stateDir.toString(), "--extensions", "2",
        "--backlog-days", "0", "--duration-seconds", "1");

    assertThat(Files.readString(stateDir.resolve(OxoSimCommand.PASSWORD_FILE)))
        .isEqualTo(first);
  }

  @Test
  void invalidZoneIsRejectedByName() {
    int code = run("oxo-sim", "--zone", "Mars/Olympus", "--state-dir", stateDir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --zone 'Mars/Olympus'");
  }

  @Test
  void invalidFaultIsRejectedByName() {
    int code = run("oxo-sim", "--fault", "server-errors=many", "--state-dir",
        stateDir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid --fault 'server-errors=many': server-errors must be a whole number");
  }

  @Test
  void invalidExtensionsAreRejectedByName() {
    int code = run("oxo-sim", "--extensions", "999", "--state-dir", stateDir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("extensions must be between 1 and 300: 999");
  }

  @Test
  void truthPrintsDaysOfRunningSimulator() throws Exception {
    ZoneId paris = ZoneId.of("Europe/Paris");
    TrafficGenerator traffic = new TrafficGenerator(3, TrafficSettings.builder().zone(paris)
        .extensions(10).build());
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(stateDir).zone(paris)
        .traffic(traffic).backlog(Duration.ofDays(2)).start()) {
      int code = run("oxo-sim", "truth", "--url", pbx.baseUri().toString(), "--token",
          pbx.adminToken(), "--fingerprint", pbx.fingerprintSha256(), "--from", "2026-03-28",
          "--to", "2026-03-31", "--zone", "Europe/Paris");

      assertThat(code).isZero();
      assertThat(out.toString()).contains("date", "calls", "unreturned", "2026-03-28",
          "2026-03-29", "2026-03-30", "Tickets dropped since start:");
    }
  }

  @Test
  void truthRefusesOtherCertificate() throws Exception {
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(stateDir)
        .traffic(new TrafficGenerator(3, TrafficSettings.builder().build())).start()) {
      int code = run("oxo-sim", "truth", "--url", pbx.baseUri().toString(), "--token",
          pbx.adminToken(), "--fingerprint", "00".repeat(32), "--from", "2026-03-28",
          "--to", "2026-03-29");

      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("Cannot read the ground truth from");
    }
  }
}
