package io.natalia.agent.testing;

import io.natalia.agent.Agent;
import io.natalia.agent.config.ConfigStore;
import java.nio.file.Path;
import java.time.Clock;

/** Runs the agent in its own JVM for the process-level tests: {@code AgentProcess <config>}. */
public final class AgentProcess {
  private AgentProcess() {}

  public static void main(String[] args) throws Exception {
    Agent agent = Agent.start(ConfigStore.open(Path.of(args[0])), Clock.systemUTC(), c -> { });
    System.out.println("agent started on port " + agent.webPort());
    Thread.currentThread().join();
  }

  /** Starts the agent as a separate JVM with the test class path. */
  public static Process start(Path config, Path log) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
        "-Dorg.sqlite.tmpdir=" + System.getProperty("org.sqlite.tmpdir",
            System.getProperty("java.io.tmpdir")),
        "-cp", System.getProperty("java.class.path"), AgentProcess.class.getName(),
        config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
