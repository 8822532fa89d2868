package io.natalia.agent.crypto;

import java.security.cert.CertificateException;

/**
 * A server presented a certificate the agent does not trust: none is pinned yet, or the pinned
 * one differs. Carries the fingerprint seen so that the admin can compare it and trust it.
 */
public final class UntrustedCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final String seenFingerprint;
  private final String pinnedFingerprint;

  /**
   * Creates the failure of one handshake.
   *
   * @param peer the server in words, {@code PBX} or {@code cloud}, for the message
   * @param seenFingerprint SHA-256 fingerprint of the certificate presented
   * @param pinnedFingerprint the trusted fingerprint, or {@code null} when none is pinned
   */
  UntrustedCertificateException(String peer, String seenFingerprint, String pinnedFingerprint) {
    super(pinnedFingerprint == null
        ? peer + " certificate not trusted yet, SHA-256 fingerprint " + seenFingerprint
        : peer + " certificate changed: SHA-256 fingerprint " + seenFingerprint
            + ", trusted " + pinnedFingerprint);
    this.seenFingerprint = seenFingerprint;
    this.pinnedFingerprint = pinnedFingerprint;
  }

  /** Returns the SHA-256 fingerprint of the certificate the server presented. */
  public String seenFingerprint() {
    return seenFingerprint;
  }

  /** Returns the pinned fingerprint, or {@code null} when none is pinned. */
  public String pinnedFingerprint() {
    return pinnedFingerprint;
  }
}
