package io.natalia.cloud.ingest;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A call record as written to {@code call_record}: numbers pseudonymised, raw JSON masked.
 *
 * @param index position of the record in its request
 * @param destinationType the kind of number called, see {@code DestinationType}
 */
record StoredRecord(
    int index,
    String id,
    String pbxId,
    Long ticketId,
    String direction,
    Instant startedAt,
    Instant endedAt,
    int ringSeconds,
    int talkSeconds,
    boolean answered,
    String extension,
    String extensionName,
    String initialTarget,
    String trunk,
    String numberPseudonym,
    String numberLast4,
    byte[] numberCipher,
    Integer units,
    BigDecimal cost,
    String businessCode,
    String rawJson,
    String destinationType) {}
