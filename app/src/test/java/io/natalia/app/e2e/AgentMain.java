package io.natalia.app.e2e;

import io.natalia.agent.Agent;
import io.natalia.agent.config.ConfigStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the agent in its own process for the end-to-end tests, from its configuration file, as
 * the agent service does. Argument: the configuration file.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    ConfigStore store = ConfigStore.open(Path.of(args[0]));
    Agent agent = Agent.start(store, Clock.systemUTC(), web -> { });
    System.out.println("agent started, HTTPS on port " + agent.webPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
