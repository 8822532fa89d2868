package io.natalia.app;

import io.natalia.agent.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code natalia demo}: the whole product on this machine. Starts the cloud with an embedded
 * PostgreSQL, an OXO simulator with weeks of backlog and live traffic, and an agent between
 * them; prints the URLs and credentials, then the progress of the backlog until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the whole product on this machine: OXO simulator, agent, cloud and dashboard.",
        "Data stays in the demo folder between runs; --fresh starts over. Ctrl-C stops."})
public final class DemoCommand implements Callable<Integer> {
  /** Address of the demo's cloud and simulator, which listen on loopback only. */
  private static final String LOOPBACK = "127.0.0.1";

  @Option(names = "--dir", defaultValue = ".natalia/demo",
      description = "Folder of the demo's data and logs (default: ${DEFAULT-VALUE}).")
  Path folder;

  @Option(names = "--fresh",
      description = "Delete the demo folder first: new database, keys and passwords.")
  boolean fresh;

  @Option(names = "--cloud-port", defaultValue = "8444",
      description = "HTTPS port of the cloud and its dashboard; 0 picks a free one"
          + " (default: ${DEFAULT-VALUE}).")
  int cloudPort;

  @Option(names = "--agent-port", defaultValue = "8443",
      description = "HTTPS port of the agent's web server; 0 picks a free one"
          + " (default: ${DEFAULT-VALUE}).")
  int agentPort;

  @Option(names = "--pbx-port", defaultValue = "30443",
      description = "HTTPS port of the OXO simulator; 0 picks a free one"
          + " (default: ${DEFAULT-VALUE}).")
  int pbxPort;

  @Option(names = "--extensions", defaultValue = "40",
      description = "Extensions of the simulated company, 1 to 300 (default: ${DEFAULT-VALUE}).")
  int extensions;

  @Option(names = "--backlog-days", defaultValue = "28",
      description = "Days of calls the simulator holds at start, 1 to 365"
          + " (default: ${DEFAULT-VALUE}).")
  int backlogDays;

  @Option(names = "--speed", defaultValue = "1",
      description = "How many times faster than real time the PBX clock runs, 1 to 3600;"
          + " 60 makes an hour of calls in a minute. For short sessions only, then --fresh"
          + " (default: ${DEFAULT-VALUE}).")
  // Limitation: see docs/known-limitations.md#demo-accelerated-time
  double speed;

  @Option(names = "--poll-seconds", defaultValue = "10",
      description = "The agent's polling interval in seconds, 10 to 3599"
          + " (default: ${DEFAULT-VALUE}; production uses 30 minutes).")
  int pollSeconds;

  @Option(names = "--exit-when-drained", hidden = true,
      description = "Stop once the backlog is forwarded (used by tests).")
  boolean exitWhenDrained;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, ConfigException, InterruptedException {
    checkOptions();
    try {
      // Before anything starts or is written, so that a taken port leaves nothing behind.
      checkPorts();
    } catch (PortCheck.PortInUseException e) {
      spec.commandLine().getErr().println("natalia demo: " + e.getMessage());
      return PortCheck.EXIT_CODE;
    }
    Path absolute = folder.toAbsolutePath().normalize();
    if (fresh) {
      deleteRecursively(absolute);
    }
    Files.createDirectories(absolute);
    Path logFile = absolute.resolve("natalia.log");
    DemoLogging.toFile(logFile);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Starting the Natalia demo in %s (logs: %s)...%n", absolute, logFile);
    out.flush();
    Instant started = Instant.now();
    DemoStack stack;
    try {
      stack = DemoStack.start(new DemoStack.Settings(absolute, cloudPort, agentPort,
          pbxPort, extensions, Duration.ofDays(backlogDays), speed,
          Duration.ofSeconds(pollSeconds)));
    } catch (IOException | RuntimeException e) {
      if (!PortCheck.isBindFailure(e)) {
        throw e;
      }
      // DemoStack.start stopped what it had started; the check above passed, so another
      // program took one of the ports meanwhile.
      spec.commandLine().getErr().println("natalia demo: a port was taken while the demo"
          + " started (" + e.getMessage() + "); choose others with --cloud-port,"
          + " --agent-port or --pbx-port (0 picks a free one).");
      return PortCheck.EXIT_CODE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(stack, out, stopped), "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    DemoBanner.print(out, stack, absolute, speed);
    showProgress(stack, out, started, stopped);
    if (exitWhenDrained) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop(stack, out, stopped);
    }
    return 0;
  }

  private void showProgress(DemoStack stack, PrintWriter out, Instant started,
      CountDownLatch stopped) throws InterruptedException {
    DemoProgress progress = new DemoProgress(out, started);
    do {
      progress.report(stack.agent().status(), stack.pbx().bufferStatus(), Instant.now());
      if (exitWhenDrained && progress.drained()) {
        return;
      }
    } while (!stopped.await(progress.drained() ? 30 : 3, TimeUnit.SECONDS));
  }

  private static void stop(DemoStack stack, PrintWriter out, CountDownLatch stopped) {
    if (stopped.getCount() == 0) {
      return;
    }
    out.println("Stopping the agent, the simulator and the cloud...");
    out.flush();
    stack.close();
    out.println("Stopped. Run natalia demo again to continue with the same data.");
    out.flush();
    stopped.countDown();
  }

  private void checkOptions() {
    requireRange("--extensions", extensions, 1, 300);
    requireRange("--backlog-days", backlogDays, 1, 365);
    requireRange("--poll-seconds", pollSeconds, 10, 3599);
    requireRange("--cloud-port", cloudPort, 0, 65_535);
    requireRange("--agent-port", agentPort, 0, 65_535);
    requireRange("--pbx-port", pbxPort, 0, 65_535);
    requireDistinct("--cloud-port", cloudPort, "--agent-port", agentPort);
    requireDistinct("--cloud-port", cloudPort, "--pbx-port", pbxPort);
    requireDistinct("--agent-port", agentPort, "--pbx-port", pbxPort);
    if (!(speed >= 1 && speed <= 3600)) {
      throw new ParameterException(spec.commandLine(),
          String.format(Locale.ROOT, "--speed must be between 1 and 3600: %s", speed));
    }
  }

  private void checkPorts() throws PortCheck.PortInUseException {
    PortCheck.requireFree(LOOPBACK, cloudPort, "the demo's cloud (dashboard, API)",
        "--cloud-port");
    // The agent's web server listens on every interface, as in production.
    PortCheck.requireFree("0.0.0.0", agentPort, "the demo's agent web server",
        "--agent-port");
    PortCheck.requireFree(LOOPBACK, pbxPort, "the demo's OXO simulator", "--pbx-port");
  }

  private void requireDistinct(String option, int port, String otherOption, int otherPort) {
    if (port != 0 && port == otherPort) {
      throw new ParameterException(spec.commandLine(),
          option + " and " + otherOption + " must differ: both are " + port);
    }
  }

  private void requireRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(),
          option + " must be between " + min + " and " + max + ": " + value);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (Files.notExists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
          throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path directory, IOException failure)
          throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(directory);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
