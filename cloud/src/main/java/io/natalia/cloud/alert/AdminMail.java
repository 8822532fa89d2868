package io.natalia.cloud.alert;

import io.natalia.cloud.tenant.Tenant;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails a notice to the enabled admins of a tenant, such as the reveal of a phone number, on a
 * background thread: a slow or unreachable SMTP server never holds up the request that caused
 * the notice. A failed mail is logged and not retried, because the notice also stays on the
 * dashboard's Alerts page and in the audit log. Thread-safe.
 */
public final class AdminMail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminMail.class);

  private final DataSource dataSource;
  private final AlertMailer mailer;
  private final ExecutorService thread;

  /** Creates the sender; with {@link AlertMailer#NONE} nothing is ever sent. */
  public AdminMail(DataSource dataSource, AlertMailer mailer) {
    this.dataSource = dataSource;
    this.mailer = mailer;
    this.thread = mailer.enabled() ? Executors.newSingleThreadExecutor(runnable -> {
      Thread daemon = new Thread(runnable, "cloud-admin-mail");
      daemon.setDaemon(true);
      return daemon;
    }) : null;
  }

  /** Queues a mail to the tenant's enabled admins; does nothing when mail is off. */
  public void sendLater(Tenant tenant, String subject, String text) {
    if (thread != null) {
      thread.execute(() -> send(tenant, subject, text));
    }
  }

  private void send(Tenant tenant, String subject, String text) {
    try {
      List<String> admins;
      try (Connection connection = dataSource.getConnection()) {
        admins = AlertTable.adminEmails(connection, tenant.id());
      }
      if (admins.isEmpty()) {
        log.warn("Tenant {}: notice '{}' not e-mailed: the tenant has no enabled admin",
            tenant.id(), subject);
        return;
      }
      mailer.send(admins, subject, text);
      log.info("Tenant {}: notice '{}' e-mailed to {} admins", tenant.id(), subject,
          admins.size());
    } catch (SQLException | RuntimeException e) {
      // Limitation: see docs/known-limitations.md#reveal-notice-mailed-once
      log.warn("Tenant {}: notice '{}' not e-mailed, it stays on the Alerts page: {} (check"
          + " the SMTP settings and the database)", tenant.id(), subject, e.toString());
    }
  }

  /** Stops the background thread; mails still queued are dropped. */
  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
