package io.natalia.oxo.truth;

import io.natalia.oxo.buffer.DroppedTicket;
import io.natalia.oxo.traffic.TruthCall;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The ground truth of the calls that started between {@code from} and {@code to}, taken from
 * the traffic generator's own model and never recomputed from the tickets the PBX served.
 *
 * @param from start of the range, inclusive
 * @param to end of the range, exclusive
 * @param zone the zone in which {@link #days()} are cut
 * @param calls every call that started in the range, by start
 * @param days one entry per local day touched by the range, empty days included
 * @param ticketsDropped the dropped tickets of those calls
 * @param ticketsDroppedTotal every ticket dropped since the simulator started
 * @param ticketsEvictedUnservedTotal tickets acknowledged by a request's {@code since} before
 *     any response carried them, since the simulator started
 */
public record TruthReport(
    Instant from,
    Instant to,
    ZoneId zone,
    List<TruthCall> calls,
    List<TruthDay> days,
    List<DroppedTicket> ticketsDropped,
    long ticketsDroppedTotal,
    long ticketsEvictedUnservedTotal) {}
