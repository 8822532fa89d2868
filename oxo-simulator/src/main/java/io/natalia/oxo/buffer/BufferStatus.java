package io.natalia.oxo.buffer;

/**
 * The buffer's counters at one moment.
 *
 * @param capacity the maximum number of unacknowledged tickets before new ones are dropped
 * @param size tickets in the buffer now (written and not yet acknowledged)
 * @param ticketsWritten tickets that entered the buffer since start, each with a ticket id
 * @param ticketsDropped tickets dropped because the buffer was full
 * @param ticketsEvictedUnserved tickets acknowledged by a request's {@code since} before any
 *     response carried them (their start lay before a {@code since} the client had passed)
 */
public record BufferStatus(
    int capacity,
    int size,
    long ticketsWritten,
    long ticketsDropped,
    long ticketsEvictedUnserved) {

  @Override
  public String toString() {
    return size + " of " + capacity + " tickets buffered (" + ticketsWritten + " written, "
        + ticketsDropped + " dropped, " + ticketsEvictedUnserved
        + " acknowledged before being served)";
  }
}
