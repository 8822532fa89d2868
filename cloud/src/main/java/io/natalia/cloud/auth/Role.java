package io.natalia.cloud.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Permission set of a user or an API token in its tenant; mirrors table role_permission. */
public enum Role {
  VIEWER(EnumSet.of(Permission.CDR_READ)),
  ANALYST(EnumSet.of(Permission.CDR_READ, Permission.CDR_EXPORT)),
  ADMIN(EnumSet.allOf(Permission.class)),
  AUDITOR(EnumSet.of(Permission.CDR_READ, Permission.AUDIT_READ));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  /** Returns whether this role grants {@code permission}. */
  public boolean allows(Permission permission) {
    return permissions.contains(permission);
  }

  /** Returns the permissions of this role. */
  public Set<Permission> permissions() {
    return EnumSet.copyOf(permissions);
  }

  /**
   * Parses a role name, case-insensitive.
   *
   * @throws IllegalArgumentException naming the value and the valid roles
   */
  public static Role parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "role must be viewer, analyst, admin or auditor: '" + name + "'", e);
    }
  }
}
