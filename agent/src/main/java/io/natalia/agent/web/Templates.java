package io.natalia.agent.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/** Renders the precompiled JTE templates of {@code src/main/jte}. Thread-safe. */
final class Templates {
  /** Package of the classes the jte-maven-plugin generates (see the agent's pom.xml). */
  private static final String PACKAGE = "io.natalia.agent.web.jte";

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
      Templates.class.getClassLoader(), PACKAGE);

  /** Renders {@code name} (such as {@code status.jte}) with these parameters as the body. */
  void render(Context ctx, String name, Map<String, Object> parameters) {
    StringOutput out = new StringOutput();
    engine.render(name, parameters, out);
    ctx.html(out.toString());
  }
}
