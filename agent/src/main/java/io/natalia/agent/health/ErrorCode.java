package io.natalia.agent.health;

/**
 * Every failure of the agent that an admin can act on, with its meaning and its fix.
 *
 * <p>{@code docs/error-codes.md} lists the same codes with more detail; the web UI shows
 * {@link #meaning()} and {@link #fix()} next to the code. Codes 001 to 010 have published
 * meanings and never change; new failures take the next free number.
 */
public enum ErrorCode {
  NAT_AGT_001("PBX connection timed out",
      "Check that the PBX is up and reachable from the agent, and that no firewall drops "
          + "packets to the CDR over IP port. The agent retries with backoff."),
  NAT_AGT_002("CDR over IP service not enabled on the PBX (HTTP 404)",
      "In WMC open Configuration > Services > CDR over IP, enable the service and check the "
          + "port (443 or 30443)."),
  NAT_AGT_003("Permission denied: the PBX account lacks the CDR operator profile (HTTP 403)",
      "In WMC open Users & permissions > Service accounts and give the agent's account the "
          + "CDR operator profile."),
  NAT_AGT_004("Connection refused or PBX unreachable",
      "Check the PBX IP and port in the agent configuration, and open the port on the "
          + "firewall between the agent and the PBX."),
  NAT_AGT_005("CDR source path not found on the PBX",
      "OXE only: check the accounting directory (/usr4/account) and the SCP account."),
  NAT_AGT_006("PBX token expired or rejected in the middle of a poll",
      "Keep the polling interval below the token lifetime (3600 s on OXO R10). If it "
          + "persists, check the PBX clock and the account's sessions in WMC."),
  NAT_AGT_007("Disk buffer above 80 %: the cloud has been unreachable for a while",
      "Check the cloud URL, the agent API key and the internet access of the agent. "
          + "Records are kept and sent when the cloud responds again."),
  NAT_AGT_008("Disk buffer above 95 %: polling paused, records wait on the PBX",
      "Restore the connection to the cloud or raise the disk-buffer limit. Polling resumes "
          + "by itself when the buffer drains; the PBX keeps at most 1000 tickets meanwhile."),
  NAT_AGT_009("Admin password lost",
      "Stop the agent, delete the web UI account file and restart: the agent prints a new "
          + "one-time setup code. The PBX and cloud settings are kept."),
  NAT_AGT_010("A PBX record could not be parsed and was quarantined",
      "The rest of the page was collected. Look at the reason in the quarantine list; "
          + "send it to support if the PBX firmware prints a format the agent does not know."),
  NAT_AGT_011("PBX login rejected: wrong login or password (HTTP 401 on login)",
      "Check the login and password of the PBX service account in the agent configuration "
          + "against WMC (the account is usually natalia-collector)."),
  NAT_AGT_012("PBX certificate changed since it was trusted; collection stopped",
      "If the PBX certificate was renewed on purpose, compare the new fingerprint with the "
          + "one shown in WMC and trust it again. Otherwise someone may be intercepting the "
          + "traffic: check the network before trusting it."),
  NAT_AGT_013("PBX certificate not trusted yet",
      "Compare the fingerprint shown with the one of the PBX certificate in WMC and trust it, "
          + "or give the agent the certificate of the CA that signed it."),
  NAT_AGT_014("Records lost on the PBX: its ticket numbers jumped",
      "The PBX keeps at most 1000 tickets and drops new ones when full. Poll more often, "
          + "keep the agent running, and keep the cloud reachable so polling never pauses."),
  NAT_AGT_015("Disk buffer file corrupt: set aside and replaced by an empty one",
      "Records in the set-aside file were not forwarded; keep the file for support. The "
          + "agent reads the PBX again from its oldest ticket, so most of them come back."),
  NAT_AGT_016("PBX sent an unexpected response",
      "Check the PBX firmware version (OXO R10 or later) and that the IP and port belong to "
          + "the OXO's CDR over IP service. The agent retries at the next poll."),
  NAT_AGT_017("Agent configuration invalid",
      "Correct the field named in the message in the configuration file or the web UI."),
  NAT_AGT_018("Cloud unreachable or overloaded; forwarding retries with backoff",
      "Check the cloud URL and the agent's internet access. Records wait in the disk "
          + "buffer and nothing is lost while it has room."),
  NAT_AGT_019("Cloud rejected some records; they are kept in the local quarantine",
      "Look at the reasons in the quarantine list and send them to support."),
  NAT_AGT_020("Cloud certificate not trusted (changed since it was pinned, or not signed by the "
      + "configured CA); forwarding stopped, records kept",
      "Compare the fingerprint in the message with the one natalia cloud prints at start. If "
          + "the cloud's certificate was renewed on purpose, trust the new one in the web UI "
          + "(Test the cloud connection), with natalia agent test-cloud --trust-certificate, or "
          + "in cloud.certificateSha256. Otherwise someone may be intercepting the traffic: "
          + "check the network first."),
  NAT_AGT_021("Cloud certificate not trusted yet; forwarding waits until it is, records kept",
      "Compare the fingerprint shown with the one natalia cloud prints at start and trust it "
          + "(Test the cloud connection in the web UI, or natalia agent test-cloud "
          + "--trust-certificate), or give the agent the certificate of the CA that signed it "
          + "in cloud.caCertificateFile."),
  NAT_API_001("Agent API key invalid or revoked: forwarding stopped, records kept",
      "Create a new agent API key in the cloud (dashboard page API keys, or natalia cloud "
          + "agent-key create) and enter it in the agent configuration; forwarding resumes "
          + "at once.");

  private final String meaning;
  private final String fix;

  ErrorCode(String meaning, String fix) {
    this.meaning = meaning;
    this.fix = fix;
  }

  /** Returns the code as admins see it, such as {@code NAT-AGT-004}. */
  public String code() {
    return name().replace('_', '-');
  }

  /** Returns what the failure means, in one sentence. */
  public String meaning() {
    return meaning;
  }

  /** Returns what the admin can do about it. */
  public String fix() {
    return fix;
  }

  @Override
  public String toString() {
    return code();
  }
}
