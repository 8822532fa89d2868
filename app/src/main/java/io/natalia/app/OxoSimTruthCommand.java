package io.natalia.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natalia.oxo.tls.PinnedTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code natalia oxo-sim truth}: prints a running simulator's ground truth for a range. */
@Command(
    name = "truth",
    mixinStandardHelpOptions = true,
    description = "Prints what really happened in a running OXO simulator between two times:"
        + " per-day totals (or the full per-call JSON with --json), including dropped tickets.")
final class OxoSimTruthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", required = true,
      description = "The simulator's URL, as it printed at start (https://127.0.0.1:30443/).")
  URI url;

  @Option(names = "--token", required = true,
      description = "The admin token the simulator printed at start.")
  String token;

  @Option(names = "--fingerprint", required = true,
      description = "SHA-256 fingerprint of the simulator's certificate, as it printed at"
          + " start; the connection is refused for any other certificate.")
  String fingerprint;

  @Option(names = "--from", required = true,
      description = "Start, inclusive: a date (2026-05-24, midnight in --zone) or an instant"
          + " (2026-05-24T00:00:00Z).")
  String from;

  @Option(names = "--to", required = true,
      description = "End, exclusive: a date or an instant, as --from.")
  String to;

  @Option(names = "--zone",
      description = "Time zone of the days (default: the PBX's zone).")
  String zone;

  @Option(names = "--json", description = "Print the full JSON document, one entry per call.")
  boolean json;

  @Override
  public Integer call() throws IOException, InterruptedException {
    HttpClient http;
    try {
      http = HttpClient.newBuilder().sslContext(PinnedTls.sslContext(fingerprint))
          .connectTimeout(Duration.ofSeconds(10)).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid --fingerprint: "
          + e.getMessage());
    }
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(truthUri())
          .header("Authorization", "Bearer " + token)
          .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      spec.commandLine().getErr().println("Cannot read the ground truth from " + url + ": "
          + e.getMessage() + " (check --url, and that --fingerprint is the one the simulator"
          + " printed)");
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (response.statusCode() != 200) {
      spec.commandLine().getErr().println("The simulator answered " + response.statusCode()
          + ": " + response.body());
      return 1;
    }
    if (json) {
      out.println(response.body());
    } else {
      printDays(new ObjectMapper().readTree(response.body()), out);
    }
    out.flush();
    return 0;
  }

  private URI truthUri() {
    String query = "from=" + encode(from) + "&to=" + encode(to)
        + (zone == null ? "" : "&zone=" + encode(zone));
    return url.resolve("/admin/truth?" + query);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void printDays(JsonNode truth, PrintWriter out) {
    out.printf("Ground truth %s to %s, days in %s%n", truth.get("from").asText(),
        truth.get("to").asText(), truth.get("zone").asText());
    String format = "%-11s %6s %9s %9s %7s %11s %9s %9s %11s %10s %8s%n";
    out.printf(format, "date", "calls", "incoming", "answered", "missed", "unreturned",
        "outgoing", "internal", "talk s", "cost", "dropped");
    for (JsonNode day : truth.get("days")) {
      out.printf(format, day.get("date").asText(), day.get("calls").asText(),
          day.get("incoming").asText(), day.get("incomingAnswered").asText(),
          day.get("missed").asText(), day.get("unreturnedMissed").asText(),
          day.get("outgoing").asText(), day.get("internal").asText(),
          day.get("talkSeconds").asText(), day.get("cost").asText(),
          day.get("ticketsDropped").asText());
    }
    out.printf("Tickets dropped since start: %s; acknowledged before being served: %s%n",
        truth.get("ticketsDroppedTotal").asText(),
        truth.get("ticketsEvictedUnservedTotal").asText());
  }
}
