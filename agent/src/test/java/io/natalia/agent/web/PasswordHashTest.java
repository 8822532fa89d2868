package io.natalia.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void hashVerifiesOnlyItsPassword() {
    String hash = PasswordHash.hash("correct horse battery staple", random);

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHash.verify("correct horse battery staple", hash)).isTrue();
    assertThat(PasswordHash.verify("correct horse battery stapler", hash)).isFalse();
  }

  @Test
  void samePasswordGetsNewSalt() {
    assertThat(PasswordHash.hash("same password!", random))
        .isNotEqualTo(PasswordHash.hash("same password!", random));
  }

  @Test
  void malformedHashMatchesNothing() {
    assertThat(PasswordHash.verify("anything", "plain-text")).isFalse();
    assertThat(PasswordHash.verify("anything", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA")).isFalse();
  }
}
