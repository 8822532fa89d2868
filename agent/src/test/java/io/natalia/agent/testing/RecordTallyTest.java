package io.natalia.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordTallyTest {
  private static final String ID_A = "0123456789abcdef0123456789abcdef";
  private static final String ID_B = "fedcba9876543210fedcba9876543210";

  private final RecordTally tally = new RecordTally(16);

  @Test
  void countsIdsAndTicketNumbersOfRecords() throws IOException {
    RecordTally.Counts counts = count("{\"agent\": {\"version\": \"0.1.0\", \"id\": \"x\"}, "
        + "\"records\": [{\"id\": \"" + ID_A + "\", \"ticketId\": 1, \"raw\": {\"ticketId\": 9, "
        + "\"id\": \"" + ID_B + "\", \"note\": \"a \\\"}] b\"}}, {\"raw\": [1, {\"x\": []}], "
        + "\"ticketId\": 2, \"id\": \"" + ID_B + "\"}], \"pbx\": {\"id\": \"oxo\"}}");

    assertThat(counts.ingested()).isEqualTo(2);
    assertThat(counts.duplicates()).isZero();
    assertThat(tally.distinct()).isEqualTo(2);
    assertThat(tally.distinctTicketIds()).isEqualTo(2);
    assertThat(tally.firstMissingTicketId()).isEqualTo(3);
  }

  @Test
  void repeatedIdAndTicketNumberAreCounted() throws IOException {
    String body = "{\"records\":[{\"id\":\"" + ID_A + "\",\"ticketId\":7}]}";
    count(body);

    RecordTally.Counts again = count(body);

    assertThat(again.ingested()).isZero();
    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(tally.duplicates()).isEqualTo(1);
    assertThat(tally.ticketIdRepeats()).isEqualTo(1);
  }

  @Test
  void emptyRecordsArrayCountsNothing() throws IOException {
    RecordTally.Counts counts = count("{\"agent\":{},\"records\":[ ]}");

    assertThat(counts.ingested()).isZero();
    assertThat(tally.distinct()).isZero();
  }

  @Test
  void recordWithoutValidIdIsRejected() {
    assertThatThrownBy(() -> count("{\"records\":[{\"ticketId\":1}]}"))
        .hasMessageContaining("without an id");
    assertThatThrownBy(() -> count("{\"records\":[{\"id\":\"abc\"}]}"))
        .hasMessageContaining("32-character id");
    assertThatThrownBy(() -> count("{\"agent\":{}}"))
        .isInstanceOf(IOException.class);
  }

  private RecordTally.Counts count(String body) throws IOException {
    return tally.count(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }
}
