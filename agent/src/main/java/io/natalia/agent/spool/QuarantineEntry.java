package io.natalia.agent.spool;

/**
 * A record set aside with the reason, for the admin and support.
 *
 * @param code error code: NAT-AGT-010 (the agent could not parse it) or the cloud's code
 * @param reason the rule broken, naming the field and the value
 * @param content the PBX ticket or the wire record, as JSON text
 */
public record QuarantineEntry(String code, String reason, String content) {}
