package io.natalia.app.e2e;

import io.natalia.oxo.server.Account;
import io.natalia.oxo.server.OxoSimulator;
import io.natalia.oxo.traffic.TrafficGenerator;
import io.natalia.oxo.traffic.TrafficSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an OXO simulator in its own process for the end-to-end tests, and writes what the test
 * needs to reach it (port, certificate, passwords) into a ready file.
 *
 * <p>Arguments: state folder, traffic seed, backlog in hours, PBX clock speed, ready file.
 */
public final class SimulatorMain {
  static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  static final int EXTENSIONS = 40;

  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    Path state = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    Duration backlog = Duration.ofHours(Long.parseLong(args[2]));
    double speed = Double.parseDouble(args[3]);
    Path ready = Path.of(args[4]);
    OxoSimulator pbx = OxoSimulator.builder()
        .stateDir(state)
        .zone(ZONE)
        .traffic(new TrafficGenerator(seed, traffic()))
        .backlog(backlog)
        .bufferCapacity(100_000)
        .speed(speed)
        .account(new Account(Account.COLLECTOR_LOGIN, "collector-password-e2e", true))
        .adminToken("admin-token-of-the-e2e-test")
        .start();
    Path certificate = state.resolve("served-certificate.pem");
    Files.writeString(certificate, pem(pbx.certificate().getEncoded()));
    Path temporary = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(temporary, "port=" + pbx.port() + "\n"
        + "fingerprint=" + pbx.fingerprintSha256() + "\n"
        + "certificate=" + certificate.toAbsolutePath() + "\n"
        + "pbxStart=" + pbx.pbxTime() + "\n", StandardCharsets.UTF_8);
    Files.move(temporary, ready, StandardCopyOption.ATOMIC_MOVE);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      pbx.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  /** Returns the simulated company's settings; the test rebuilds nothing from them. */
  static TrafficSettings traffic() {
    return TrafficSettings.builder().extensions(EXTENSIONS).zone(ZONE).build();
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
