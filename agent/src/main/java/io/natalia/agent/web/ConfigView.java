package io.natalia.agent.web;

import java.util.List;

/**
 * The configuration page: the PBX form and the cloud form, with what the admin typed when a
 * value was rejected. Secrets are never part of it: only whether one is stored.
 *
 * @param pbxId the PBX name ({@code pbx.id})
 * @param type PBX type, {@code OXO}
 * @param host PBX IP address or host name
 * @param port CDR over IP port
 * @param login PBX service account
 * @param passwordStored whether a PBX password is stored
 * @param pollMinutes polling interval in minutes
 * @param timeZone PBX time zone id
 * @param zones every time zone id, sorted
 * @param trustedFingerprint SHA-256 fingerprint of the trusted PBX certificate, or null
 * @param pbxError why the PBX form was rejected, or null
 * @param pbxNotice confirmation after saving the PBX form, or null
 * @param cloudUrl cloud base URL
 * @param apiKeyStored whether an agent API key is stored
 * @param cloudTrustedFingerprint SHA-256 fingerprint of the pinned cloud certificate, or null
 * @param cloudError why the cloud form was rejected, or null
 * @param cloudNotice confirmation after saving the cloud form, or null
 */
public record ConfigView(
    String pbxId,
    String type,
    String host,
    String port,
    String login,
    boolean passwordStored,
    String pollMinutes,
    String timeZone,
    List<String> zones,
    String trustedFingerprint,
    String pbxError,
    String pbxNotice,
    String cloudUrl,
    boolean apiKeyStored,
    String cloudTrustedFingerprint,
    String cloudError,
    String cloudNotice) {}
