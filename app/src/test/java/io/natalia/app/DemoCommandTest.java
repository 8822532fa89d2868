package io.natalia.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code natalia demo} over a small company: start, drain, stop, and again. */
class DemoCommandTest {
  private static final Pattern ADMIN_PASSWORD =
      Pattern.compile("admin\\s+admin@demo\\.example\\s+(\\S+)");

  @TempDir Path folder;

  @Test
  void secondRunReusesDataAndFreshStartsOver() {
    Result first = demo();
    Result second = demo();
    Result fresh = demo("--fresh");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("Dashboard        https://127.0.0.1:")
        .contains("viewer@demo.example", "analyst@demo.example", "auditor@demo.example")
        .contains("(analyst: figures, calls, exports)")
        .containsPattern("agent \\w+: [\\d,]+ records read, [\\d,]+ forwarded, 0 pending")
        .contains("Backlog forwarded in")
        .contains("Stopped. Run natalia demo again");
    assertThat(forwarded(first.out())).isPositive();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(adminPassword(second.out())).isEqualTo(adminPassword(first.out()));
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(adminPassword(fresh.out())).isNotEqualTo(adminPassword(first.out()));
    assertThat(folder.resolve("demo").resolve(DemoState.FILE_NAME)).exists();
    assertThat(folder.resolve("demo").resolve("agent").resolve("agent.json")).content()
        .doesNotContain(adminPassword(fresh.out())).contains("enc:v1:");
  }

  @Test
  void invalidOptionNamesTheOptionAndValue() {
    Result result = run("demo", "--dir", folder.toString(), "--extensions", "301");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("--extensions must be between 1 and 300: 301");
    assertThat(Files.exists(folder.resolve("natalia.log"))).isFalse();
  }

  private Result demo(String... extra) {
    String[] base = {"demo", "--dir", folder.resolve("demo").toString(), "--cloud-port", "0",
        "--agent-port", "0", "--pbx-port", "0", "--extensions", "5", "--backlog-days", "2",
        "--exit-when-drained"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return run(args);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static String adminPassword(String output) {
    Matcher match = ADMIN_PASSWORD.matcher(output);
    assertThat(match.find()).as(output).isTrue();
    return match.group(1);
  }

  private static long forwarded(String output) {
    Matcher match = Pattern.compile("([\\d,]+) forwarded, 0 pending").matcher(output);
    long last = 0;
    while (match.find()) {
      last = Long.parseLong(match.group(1).replace(",", ""));
    }
    return last;
  }

  private record Result(int code, String out, String err) {}
}
