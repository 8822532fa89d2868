package io.natalia.app;

import io.natalia.oxo.bench.ServeBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code natalia oxo-sim bench}: measures how fast the simulator serves a large backlog. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Writes a backlog of tickets into a simulator on 127.0.0.1, pages through it"
        + " over HTTPS as a catching-up agent would, and prints records/s and heap per page"
        + " cap.")
final class OxoSimBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--tickets", defaultValue = "5000000",
      description = "Tickets in the backlog, 1 to 20000000 (default: ${DEFAULT-VALUE}).")
  int tickets;

  @Option(names = "--page-caps", defaultValue = "500,5000", split = ",",
      description = "Page caps to measure, one run each (default: ${DEFAULT-VALUE}).")
  List<Integer> pageCaps;

  @Override
  public Integer call() throws Exception {
    ServeBenchmark.run(tickets, pageCaps, spec.commandLine().getOut());
    return 0;
  }
}
