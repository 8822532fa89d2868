package io.natalia.agent.spool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the buffer's write-ahead log into its database file on a connection and a thread of
 * its own, after each commit, so that a commit of the poll or the forwarder only appends to the
 * log and syncs it.
 *
 * <p>A checkpoint run by the committing connection (SQLite's automatic one, every 1 000 pages
 * of log) copies and syncs the database file before the commit returns. In the agent benchmark
 * that was about half of the time each commit of a page of 5 000 records took. A {@code
 * PASSIVE} checkpoint on another connection neither waits for nor blocks the writer, and
 * SQLite keeps a crash in the middle of it safe: the log stays valid until every frame is in
 * the database file. The automatic checkpoint stays on as a fallback and finds nothing to copy
 * while this one keeps up.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  private final Path file;
  private final Connection db;
  private final Thread thread;
  private boolean requested;
  private boolean closed;
  /** Whether the last checkpoint failed, so that a run of failures is logged once. */
  private boolean failing;
  private long completed;

  private Checkpointer(Path file, Connection db) {
    this.file = file;
    this.db = db;
    this.thread = Thread.ofPlatform().daemon().name("natalia-checkpoint").unstarted(this::run);
  }

  /** Opens a second connection to {@code file} and starts the checkpoint thread. */
  static Checkpointer start(Path file) throws SQLException {
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
    Checkpointer checkpointer = new Checkpointer(file, db);
    checkpointer.thread.start();
    return checkpointer;
  }

  /** Requests a checkpoint. Requests made while one runs are served by one more run. */
  synchronized void request() {
    requested = true;
    notifyAll();
  }

  /** Returns the number of checkpoints run so far. */
  synchronized long completedCount() {
    return completed;
  }

  /**
   * Waits until at least {@code count} checkpoints have run, at most {@code timeout}, and
   * returns whether they have.
   */
  synchronized boolean awaitCompleted(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (completed < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Stops the thread after the checkpoint under way, if any, and closes its connection. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      db.close();
    } catch (SQLException e) {
      log.debug("Closing the checkpoint connection of {} failed", file, e);
    }
  }

  private void run() {
    while (awaitRequest()) {
      checkpoint();
    }
  }

  private synchronized boolean awaitRequest() {
    while (!requested && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        return false;
      }
    }
    requested = false;
    return !closed;
  }

  private void checkpoint() {
    try (Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      result.next();
      if (failing) {
        log.info("Checkpoints of disk buffer {} succeed again", file);
        failing = false;
      }
    } catch (SQLException e) {
      // The commits stay durable in the log, and SQLite's own checkpoint still runs.
      if (!failing) {
        log.warn("Checkpoint of disk buffer {} failed: {}. The log grows until one succeeds: "
            + "check the disk", file, e.getMessage());
        failing = true;
      }
    }
    synchronized (this) {
      completed++;
      notifyAll();
    }
  }
}
