package io.natalia.oxo.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.natalia.oxo.fault.Faults;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.UUID;

/**
 * Issues and checks the HS256 JSON Web Tokens of the PBX API. The signing key is random per
 * start, so a restart invalidates every token, as a PBX reboot does.
 */
final class TokenService {
  private final byte[] secret = new byte[32];
  private final InstantSource clock;
  private final Duration lifetime;
  private final Faults faults;

  TokenService(InstantSource clock, Duration lifetime, Faults faults) {
    new SecureRandom().nextBytes(secret);
    this.clock = clock;
    this.lifetime = lifetime;
    this.faults = faults;
  }

  Duration lifetime() {
    return lifetime;
  }

  /** Returns a signed token for {@code login}, valid for the configured lifetime. */
  String issue(String login) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject(login)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token with HS256", e);
    }
    return jwt.serialize();
  }

  /**
   * Returns the login a token was issued to.
   *
   * @throws InvalidTokenException when the token is malformed, not signed by this server,
   *     expired, or older than the early lifetime a fault sets
   */
  String verify(String token) throws InvalidTokenException {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("token is not a signed JWT");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !verifySignature(jwt)) {
      throw new InvalidTokenException("token signature is invalid");
    }
    Instant now = clock.instant();
    Date expiry = claims.getExpirationTime();
    Date issued = claims.getIssueTime();
    if (expiry == null || issued == null || !now.isBefore(expiry.toInstant())) {
      throw new InvalidTokenException("token expired");
    }
    Duration early = faults.tokenLifetime();
    if (early != null && !now.isBefore(issued.toInstant().plus(early))) {
      throw new InvalidTokenException("token expired");
    }
    return claims.getSubject();
  }

  private boolean verifySignature(SignedJWT jwt) {
    try {
      return jwt.verify(new MACVerifier(secret));
    } catch (JOSEException e) {
      return false;
    }
  }

  /** A token the PBX does not accept; the message is safe to send back to the client. */
  static final class InvalidTokenException extends Exception {
    InvalidTokenException(String message) {
      super(message);
    }
  }
}
