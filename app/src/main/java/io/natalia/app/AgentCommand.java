package io.natalia.app;

import io.natalia.agent.Agent;
import io.natalia.agent.config.AgentConfig;
import io.natalia.agent.config.ConfigException;
import io.natalia.agent.config.ConfigStore;
import io.natalia.agent.health.ErrorCode;
import io.natalia.agent.pbx.oxo.ConnectionTest;
import io.natalia.agent.web.CloudCheck;
import io.natalia.agent.web.CloudTestView;
import io.natalia.agent.web.WebUi;
import io.natalia.cdr.CallRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code natalia agent}: runs the on-premises agent, or tests its PBX connection. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    // The option is checked in call(): picocli would also demand a parent's required option
    // before the test-connection subcommand, which has its own --config.
    customSynopsis = "natalia agent --config=<file> [-hV] [COMMAND]",
    description = "Runs the agent: polls the PBX, buffers records on disk, forwards them to the "
        + "cloud, and serves its web UI, /health and /metrics over HTTPS. docs/agent.md "
        + "describes the configuration file.",
    subcommands = {AgentCommand.TestConnection.class, AgentCommand.TestCloud.class})
final class AgentCommand implements Callable<Integer> {
  /** Exit code for an invalid or unreadable configuration. */
  static final int CONFIG_ERROR = 2;

  @Option(names = "--config", paramLabel = "<file>",
      description = "Required. The agent's configuration file (JSON), such as "
          + "/etc/natalia/agent.json; there is no default path. Secrets in it are encrypted on "
          + "first read. Created when missing: the agent then waits for the PBX and cloud "
          + "settings entered in its web UI")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (config == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: "
          + "'--config=<file>', for example --config /etc/natalia/agent.json (created when "
          + "missing)");
    }
    ConfigStore store = openStore(config, true, spec.commandLine().getErr());
    if (store == null) {
      return CONFIG_ERROR;
    }
    int port = store.current().web().port();
    String address = store.current().web().address();
    String user = "the agent's web server (web UI, /health, /metrics)";
    String option = "web.port in " + config;
    try {
      // Before the disk buffer opens and polling starts.
      PortCheck.requireFree(address, port, user, option);
    } catch (PortCheck.PortInUseException e) {
      spec.commandLine().getErr().println("natalia agent: " + e.getMessage());
      return PortCheck.EXIT_CODE;
    }
    Agent agent;
    try {
      agent = WebUi.startAgent(store, Clock.systemUTC(), spec.commandLine().getOut());
    } catch (IOException | RuntimeException e) {
      spec.commandLine().getErr().println("natalia agent: " + (PortCheck.isBindFailure(e)
          ? PortCheck.message(address, port, user, option)
          : "cannot start: " + e.getMessage()));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "natalia-shutdown"));
    spec.commandLine().getOut().println("natalia agent running; web UI on https://localhost:"
        + agent.webPort() + "/ and health on /health");
    stopped.await();
    return 0;
  }

  /**
   * Opens the configuration file, or creates it when {@code createIfMissing}, and prints one
   * line naming the file and the fix when that fails.
   *
   * @return the store, or null after printing why it cannot be opened
   */
  static ConfigStore openStore(Path file, boolean createIfMissing, PrintWriter err) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!createIfMissing && Files.notExists(absolute)) {
      err.println("natalia agent: configuration file not found: " + absolute + ". Create it by "
          + "starting the agent once with natalia agent --config " + absolute + " and entering "
          + "the settings in its web UI, or write it as docs/agent.md#configuration shows");
      return null;
    }
    try {
      return createIfMissing ? ConfigStore.openOrCreate(absolute) : ConfigStore.open(absolute);
    } catch (ConfigException e) {
      err.println("natalia agent: " + ErrorCode.NAT_AGT_017.code() + " invalid configuration in "
          + absolute + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      String verb = Files.exists(absolute) ? "read" : "create";
      err.println("natalia agent: cannot " + verb + " the configuration file " + absolute + ": "
          + describe(e));
    }
    return null;
  }

  /** Returns the failure in words; file system exceptions carry only a path as message. */
  private static String describe(Exception e) {
    if (e instanceof FileSystemException fileSystem) {
      String reason = fileSystem.getReason() == null ? "" : " (" + fileSystem.getReason() + ")";
      return e.getClass().getSimpleName() + " on " + fileSystem.getFile() + reason;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** {@code natalia agent test-connection}: the connection test from the command line. */
  @Command(
      name = "test-connection",
      mixinStandardHelpOptions = true,
      description = "Logs in to the PBX, reads its records once and parses them, then prints "
          + "the number of records read and a few of them. Stores nothing.")
  static final class TestConnection implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "<file>",
        description = "Agent configuration file (JSON)")
    Path config;

    @Option(names = "--trust-certificate",
        description = "On first contact, trust the certificate the PBX presents (check its "
            + "fingerprint in WMC first) and store the fingerprint in the configuration")
    boolean trustCertificate;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ConfigStore store = openStore(config, false, err);
      if (store == null) {
        return CONFIG_ERROR;
      }
      if (!store.current().hasPbx()) {
        err.println("natalia agent: no PBX settings in " + config + ": enter them in the web "
            + "UI, or add the pbx section described in docs/agent.md");
        return CONFIG_ERROR;
      }
      AgentConfig.Pbx pbx = store.current().pbx();
      ConnectionTest.Result result = ConnectionTest.run(pbx, Clock.systemUTC());
      if (result.errorCode() == ErrorCode.NAT_AGT_013 && trustCertificate
          && result.certificateSha256() != null) {
        pbx = pbx.withCertificateSha256(result.certificateSha256());
        try {
          store.update(store.current().withPbx(pbx));
        } catch (ConfigException e) {
          err.println("natalia agent: cannot store the fingerprint: " + e.getMessage());
          return CONFIG_ERROR;
        }
        out.println("Trusted the PBX certificate " + result.certificateSha256());
        result = ConnectionTest.run(pbx, Clock.systemUTC());
      }
      print(result, out, err);
      return result.passed() ? 0 : 1;
    }

    private static void print(ConnectionTest.Result result, PrintWriter out, PrintWriter err) {
      if (!result.passed()) {
        err.println(result.errorCode().code() + ": " + result.message());
        err.println("Meaning: " + result.errorCode().meaning());
        err.println("Fix: " + result.errorCode().fix());
        if (result.certificateSha256() != null) {
          err.println("PBX certificate SHA-256: " + result.certificateSha256());
        }
        if (result.errorCode() == ErrorCode.NAT_AGT_013) {
          err.println("Run again with --trust-certificate once the fingerprint matches WMC.");
        }
        return;
      }
      out.println(result.message());
      out.println("Records read: " + result.recordsRead());
      if (result.unparsable() > 0) {
        out.println("Records that cannot be parsed: " + result.unparsable());
        result.reasons().forEach(reason -> out.println("  " + reason));
      }
      out.printf("%-20s  %-8s  %-6s  %-6s  %5s  %5s  %s%n", "start (UTC)", "type",
          "ext", "trunk", "ring", "talk", "number");
      for (CallRecord record : result.sample()) {
        out.printf("%-20s  %-8s  %-6s  %-6s  %5d  %5d  %s%n", record.startedAt(),
            record.direction().wireName(), nullToDash(record.extension()),
            nullToDash(record.trunk()), record.ringSeconds(), record.talkSeconds(),
            nullToDash(record.externalNumber()));
      }
    }

    private static String nullToDash(String text) {
      return text == null ? "-" : text;
    }
  }

  /** {@code natalia agent test-cloud}: the cloud connection test from the command line. */
  @Command(
      name = "test-cloud",
      mixinStandardHelpOptions = true,
      description = "Posts an empty batch to the cloud with the agent API key and prints the "
          + "result and the SHA-256 fingerprint of the cloud's certificate. Stores nothing "
          + "unless --trust-certificate pins that certificate.")
  static final class TestCloud implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "<file>",
        description = "Agent configuration file (JSON)")
    Path config;

    @Option(names = "--trust-certificate",
        description = "Trust the certificate the cloud presents (check its fingerprint against "
            + "the one natalia cloud printed first) and store it as cloud.certificateSha256")
    boolean trustCertificate;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ConfigStore store = openStore(config, false, err);
      if (store == null) {
        return CONFIG_ERROR;
      }
      if (!store.current().hasCloud()) {
        err.println("natalia agent: no cloud settings in " + config + ": enter them in the web "
            + "UI, or add the cloud section described in docs/agent.md");
        return CONFIG_ERROR;
      }
      AgentConfig.Cloud cloud = store.current().cloud();
      String pbxId = store.current().pbx().id();
      CloudTestView result = CloudCheck.run(cloud, pbxId);
      if (trustCertificate && result.offerTrust()) {
        cloud = cloud.withCertificateSha256(result.fingerprint());
        try {
          store.update(store.current().withCloud(cloud));
        } catch (ConfigException e) {
          err.println("natalia agent: cannot store the fingerprint: " + e.getMessage());
          return CONFIG_ERROR;
        }
        out.println("Trusted the cloud certificate " + result.fingerprint());
        result = CloudCheck.run(cloud, pbxId);
      }
      print(result, out, err);
      return result.passed() ? 0 : 1;
    }

    private static void print(CloudTestView result, PrintWriter out, PrintWriter err) {
      PrintWriter target = result.passed() ? out : err;
      target.println(result.passed() ? result.message()
          : result.code().code() + ": " + result.message());
      if (!result.passed()) {
        err.println("Meaning: " + result.code().meaning());
        err.println("Fix: " + result.code().fix());
      }
      if (result.fingerprint() != null) {
        target.println("Cloud certificate SHA-256: " + result.fingerprint()
            + (result.pinned() ? " (pinned)" : ""));
      }
      if (result.offerTrust()) {
        target.println("To pin it, compare it with the fingerprint natalia cloud printed, then "
            + "run again with --trust-certificate.");
      }
    }
  }
}
