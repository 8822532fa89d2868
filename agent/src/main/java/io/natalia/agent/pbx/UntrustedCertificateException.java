package io.natalia.agent.pbx;

import java.security.cert.CertificateException;

/**
 * The PBX presented a certificate the agent does not trust: none is pinned yet, or the pinned
 * one differs. Carries the fingerprint seen so that the admin can compare it and trust it.
 */
public final class UntrustedCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final String seenFingerprint;
  private final String pinnedFingerprint;

  UntrustedCertificateException(String seenFingerprint, String pinnedFingerprint) {
    super(pinnedFingerprint == null
        ? "PBX certificate not trusted yet, SHA-256 fingerprint " + seenFingerprint
        : "PBX certificate changed: SHA-256 fingerprint " + seenFingerprint
            + ", trusted " + pinnedFingerprint);
    this.seenFingerprint = seenFingerprint;
    this.pinnedFingerprint = pinnedFingerprint;
  }

  /** Returns the SHA-256 fingerprint of the certificate the PBX presented. */
  public String seenFingerprint() {
    return seenFingerprint;
  }

  /** Returns the pinned fingerprint, or {@code null} on first contact. */
  public String pinnedFingerprint() {
    return pinnedFingerprint;
  }
}
