package io.natalia.cloud.web;

import io.natalia.cloud.auth.Permission;
import io.natalia.cloud.auth.Role;
import io.natalia.cloud.tenant.Tenant;

/**
 * The person behind a request, as its session says.
 *
 * @param userId id of the user
 * @param email login name
 * @param role role in the tenant, read afresh on every request
 * @param tenant the tenant the user belongs to; decides every row shown
 * @param csrfToken the token every changing request must send back
 */
public record SignedIn(long userId, String email, Role role, Tenant tenant, String csrfToken) {
  /** Returns whether the user's role grants {@code permission}. */
  public boolean may(Permission permission) {
    return role.allows(permission);
  }

  /** Returns the actor name written to the audit log. */
  public String actor() {
    return "user:" + email;
  }
}
