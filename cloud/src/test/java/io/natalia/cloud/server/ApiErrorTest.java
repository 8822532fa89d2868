package io.natalia.cloud.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApiErrorTest {
  @Test
  void everyCodeIsDocumentedWithItsStatus() throws Exception {
    String table = Files.readString(Path.of("..", "docs", "error-codes.md"));

    for (ApiError error : ApiError.values()) {
      String status = switch (error) {
        case RECORD_INVALID, RECORD_TOO_OLD -> "per record";
        case BAD_REQUEST -> "4xx";
        default -> Integer.toString(error.status());
      };
      assertThat(table).as(error.name()).contains("| " + error.code() + " | " + status + " |");
    }
  }

  @Test
  void rejectedRequestStatusesMapToCodes() {
    assertThat(ApiError.ofRejectedRequest(404)).isEqualTo(ApiError.NO_SUCH_ENDPOINT);
    assertThat(ApiError.ofRejectedRequest(405)).isEqualTo(ApiError.METHOD_NOT_ALLOWED);
    assertThat(ApiError.ofRejectedRequest(413)).isEqualTo(ApiError.BODY_TOO_LARGE);
    assertThat(ApiError.ofRejectedRequest(431)).isEqualTo(ApiError.BAD_REQUEST);
    assertThat(ApiError.ofRejectedRequest(503)).isEqualTo(ApiError.INTERNAL);
  }
}
