package io.natalia.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code natalia} command line. */
@Command(
    name = "natalia",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Call analytics for Alcatel-Lucent PBXs.",
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, AgentCommand.class,
        CloudCommand.class, OxoSimCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code; tests call this in-process. */
  static int execute(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Reads the version Maven wrote into the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"natalia " + (version == null ? "development build" : version)};
    }
  }
}
