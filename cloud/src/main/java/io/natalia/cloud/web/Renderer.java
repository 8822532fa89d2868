package io.natalia.cloud.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders the precompiled templates of {@code src/main/jte} (compiled to classes by the build,
 * so a broken template fails the build, not a request) and sets the headers every page
 * carries. Thread-safe.
 */
final class Renderer {
  /**
   * Scripts only from this origin (no inline script anywhere); inline styles are allowed
   * because ECharts and htmx set them. No framing, no form posts elsewhere.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self';"
      + " style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
      + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** Renders {@code name} (e.g. {@code report.jte}) with its parameters as the response. */
  void render(Context ctx, String name, Map<String, Object> parameters) {
    StringOutput output = new StringOutput();
    engine.render(name, parameters, output);
    secureHeaders(ctx);
    ctx.html(output.toString());
  }

  /** Headers of every dashboard response: no caching of personal data, no framing. */
  static void secureHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
    ctx.header("Strict-Transport-Security", "max-age=31536000");
  }
}
