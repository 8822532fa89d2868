package io.natalia.app.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of the product in its own JVM, started from this test's class path, with its
 * output in a log file the test reads.
 */
final class JavaProcess implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Path log;
  private final Process process;

  private JavaProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code mainClass} with {@code args}; output goes to {@code <folder>/<name>.log}. */
  static JavaProcess start(String name, Path folder, Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    Path log = folder.resolve(name + ".log");
    try {
      Files.createDirectories(folder);
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      return new JavaProcess(name, log, process);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  /**
   * Waits until the log has a line matching {@code pattern} and returns the match.
   *
   * @throws AssertionError when the process exits or {@code timeout} passes first, with the
   *     log's last lines
   */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Matcher match = pattern.matcher(output());
      if (match.find()) {
        return match;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue()
            + " before printing " + pattern + ":\n" + tail());
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " did not print " + pattern + " within " + timeout
        + ":\n" + tail());
  }

  /** Returns everything the process printed so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + log, e);
    }
  }

  /** Kills the process with SIGKILL, as a power cut or the OOM killer would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Stops the process with SIGTERM, which runs its shutdown hooks, and waits for it. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
