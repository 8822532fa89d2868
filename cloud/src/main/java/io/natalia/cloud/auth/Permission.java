package io.natalia.cloud.auth;

/** A permission of a role; the wire names are those of table role_permission. */
public enum Permission {
  CDR_READ("cdr.read"),
  CDR_EXPORT("cdr.export"),
  CDR_REVEAL_PHONE("cdr.reveal_phone"),
  API_KEY_MANAGE("api_key.manage"),
  USER_MANAGE("user.manage"),
  TENANT_MANAGE("tenant.manage"),
  AUDIT_READ("audit.read");

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  /** Returns the name stored in the database. */
  public String wireName() {
    return wireName;
  }
}
