package io.natalia.cloud.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(1024, 1);

  @Test
  void argon2idPhcVerifiesRightPassword() {
    String phc = hasher.hash("correct horse battery".toCharArray());

    assertThat(phc).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$"
        + "[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("correct horse battery".toCharArray(), phc)).isTrue();
    assertThat(hasher.verify("correct horse batterY".toCharArray(), phc)).isFalse();
  }

  @Test
  void samePasswordHashesDifferentlyEachTime() {
    char[] password = "correct horse battery".toCharArray();

    assertThat(hasher.hash(password)).isNotEqualTo(hasher.hash(password));
  }

  @Test
  void hashMadeWithAnotherCostStillVerifies() {
    String phc = new PasswordHasher(2048, 2).hash("correct horse battery".toCharArray());

    assertThat(hasher.verify("correct horse battery".toCharArray(), phc)).isTrue();
  }

  @Test
  void shortPasswordIsRefusedWithTheMinimum() {
    assertThatThrownBy(() -> hasher.hash("short".toCharArray()))
        .hasMessageContaining("12").hasMessageContaining("5");
  }

  @Test
  void malformedStoredHashNeverVerifies() {
    assertThat(hasher.verify("anything at all".toCharArray(), "$2a$10$bcrypt")).isFalse();
  }
}
