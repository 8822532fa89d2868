package io.natalia.agent;

import io.natalia.agent.testing.FakeCloud;
import io.natalia.agent.testing.RecordTally;
import io.natalia.agent.testing.TestTls;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The agent benchmark's peers in a process of their own: the OXO simulator with a backlog and
 * a cloud that only counts, both on 127.0.0.1. Their heap (the simulator's ticket index and
 * the cloud's id set grow with the backlog) then stays out of the agent's.
 *
 * <p>Arguments: a folder for the simulator's state and the cloud's certificate, the backlog in
 * minutes, the page cap and the calls a day relative to the default company. Once both listen,
 * the process prints one line on standard output, {@code ready <simulator port> <simulator
 * certificate SHA-256> <collector password> <tickets> <cloud URL> <cloud certificate PEM
 * file>}, then reads commands, one a line: {@code await} prints {@code counts <distinct ids>
 * <repeated ids> <distinct ticket numbers> <repeated ticket numbers> <first missing ticket
 * number>} once the cloud holds every ticket. The process stops at the end of its input. Its
 * logs go to standard error.
 */
public final class AgentBenchPeers {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-06-26T18:00:00Z"));

  private AgentBenchPeers() {}

  public static void main(String[] args) throws Exception {
    // Logging may write to standard output, which carries the protocol.
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    Path dir = Path.of(args[0]);
    Duration backlog = Duration.ofMinutes(Long.parseLong(args[1]));
    int pageCap = Integer.parseInt(args[2]);
    double scale = Double.parseDouble(args[3]);
    TestTls tls = new TestTls();
    TrafficGenerator traffic = new TrafficGenerator(42, TrafficSettings.builder().zone(PARIS)
        .callsPerDayScale(scale).build());
    try (OxoSimulator pbx = OxoSimulator.builder().stateDir(dir.resolve("pbx")).zone(PARIS)
            .traffic(traffic).backlog(backlog).pageCap(pageCap).bufferCapacity(6_000_000)
            .clock(CLOCK).start()) {
      long tickets = pbx.bufferStatus().ticketsWritten();
      RecordTally tally = new RecordTally(tickets);
      try (FakeCloud cloud = FakeCloud.counting(tls, tally)) {
        Path pem = tls.writePem(dir.resolve("cloud-ca.pem"));
        protocol.printf(Locale.ROOT, "ready %d %s %s %d %s %s%n", pbx.port(),
            pbx.fingerprintSha256(), pbx.collectorAccount().password(), tickets, cloud.url(),
            pem);
        serve(protocol, tally, tickets);
      }
    }
  }

  private static void serve(PrintStream protocol, RecordTally tally, long tickets)
      throws IOException, InterruptedException {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine(); command != null;
        command = commands.readLine()) {
      if (!command.equals("await")) {
        throw new IllegalArgumentException("unknown command '" + command + "', expected await");
      }
      while (tally.distinct() < tickets) {
        Thread.sleep(5);
      }
      protocol.printf(Locale.ROOT, "counts %d %d %d %d %d%n", tally.distinct(),
          tally.duplicates(), tally.distinctTicketIds(), tally.ticketIdRepeats(),
          tally.firstMissingTicketId());
    }
  }
}
