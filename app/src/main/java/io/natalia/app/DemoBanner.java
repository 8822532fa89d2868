package io.natalia.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints what the demo runs: URLs, credentials and where its data lives. */
final class DemoBanner {
  private DemoBanner() {}

  static void print(PrintWriter out, DemoStack stack, Path folder, double speed) {
    String cloud = stack.cloudUri().toString();
    out.println();
    out.println("Natalia demo is running (the certificates are self-signed: accept them once in"
        + " the browser).");
    out.println();
    out.printf("  Dashboard        %s%n", cloud);
    out.printf("  JSON API         %sapi/v1/summary   Authorization: Bearer %s"
        + "   (analyst: figures, calls, exports)%n", cloud, stack.apiToken());
    out.printf("  Agent            %s   status API: %sapi/status with Authorization: Bearer"
        + " %s%n", stack.agentUri(), stack.agentUri(), stack.agentToken());
    out.printf("  Agent web UI     %s%n", stack.agentSetupCode() == null
        ? "admin password set on an earlier run (--fresh starts over)"
        : stack.agentUri() + "setup with the one-time setup code " + stack.agentSetupCode());
    out.printf("  OXO simulator    %s   admin API: %sadmin/status with Authorization: Bearer"
        + " %s%n", stack.pbx().baseUri(), stack.pbx().baseUri(), stack.pbx().adminToken());
    out.printf("                   certificate SHA-256 %s (pinned by the agent)%n",
        stack.pbx().fingerprintSha256());
    out.println();
    out.printf("  Tenant '%s', users (password):%n", DemoStack.TENANT_NAME);
    for (DemoStack.Login login : stack.logins()) {
      out.printf("    %-8s %-24s %s%n", login.role().name().toLowerCase(Locale.ROOT),
          login.email(), login.password());
    }
    out.println();
    out.printf("  Simulated company: PBX clock at %s x real time, zone %s.%n",
        speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed),
        stack.pbx().zone());
    out.printf("  Data and credentials: %s (natalia demo --fresh starts over).%n", folder);
    out.println("  Ctrl-C stops everything.");
    out.println();
    out.flush();
  }
}
