package io.natalia.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes agent configuration files pointing at the tests' fakes, secrets in plain text. */
public final class TestConfigs {
  public static final String METRICS_TOKEN = "metrics-token-for-tests-only";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestConfigs() {}

  /** Returns the JSON of a configuration that trusts the fakes' certificate. */
  public static ObjectNode json(Path dir, TestTls tls, int pbxPort, String cloudUrl)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("dataDir", dir.resolve("data").toString());
    ObjectNode pbx = root.putObject("pbx");
    pbx.put("id", "oxo-test");
    pbx.put("type", "OXO");
    pbx.put("host", "127.0.0.1");
    pbx.put("port", pbxPort);
    pbx.put("login", FakePbx.LOGIN);
    pbx.put("password", FakePbx.PASSWORD);
    pbx.put("timeZone", "Europe/Paris");
    pbx.put("pollInterval", "30m");
    pbx.put("certificateSha256", tls.fingerprint());
    ObjectNode cloud = root.putObject("cloud");
    cloud.put("url", cloudUrl);
    cloud.put("apiKey", FakeCloud.API_KEY);
    cloud.put("caCertificateFile", tls.writePem(dir.resolve("cloud-ca.pem")).toString());
    root.putObject("buffer").put("maxMegabytes", 64);
    ObjectNode web = root.putObject("web");
    web.put("port", 0);
    web.put("metricsToken", METRICS_TOKEN);
    return root;
  }

  /** Writes the configuration to {@code dir/agent.json} and returns the file. */
  public static Path write(Path dir, ObjectNode json) throws IOException {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    return file;
  }
}
