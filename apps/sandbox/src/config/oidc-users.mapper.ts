/** A user the stand-in signs in when `login_hint` names them. */
export interface OidcUser {
  id: string;
  role: string;
  queues: string[];
}

/** `olga:agent:general|fraud,sofia:supervisor` → users. Pure. */
export function parseOidcUsers(raw: string, issue: (message: string) => void): OidcUser[] {
  const users: OidcUser[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [id, role, queues, extra] = entry.split(':');
    if (!id || !role || extra !== undefined || !/^[A-Za-z0-9._@-]{1,64}$/.test(id)) {
      issue(`"${entry}" is not "id:role[:queue|queue]"`);
      continue;
    }
    users.push({ id, role, queues: (queues ?? '').split('|').filter(Boolean) });
  }
  return users;
}

/** The id_token claims of a user (the role and queue claim names the console reads). Pure. */
export function userClaims(user: OidcUser, passwordOnly = false): Record<string, unknown> {
  return {
    sub: `sandbox|${user.id}`,
    // How they signed in (RFC 8176): the console wants a second factor for its privileged roles.
    amr: passwordOnly ? ['pwd'] : ['pwd', 'otp'],
    preferred_username: user.id,
    name: user.id,
    omnigate_role: user.role,
    omnigate_queues: user.queues,
  };
}
