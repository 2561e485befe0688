import { AppError } from '@omnigate/kit';

/**
 * Console roles. agent: only the conversations of their queues, personal data masked.
 * supervisor: every queue, approvals, card reveal. admin: every queue, audit search, card reveal.
 * dpo: every queue, customer export and erasure, audit.
 */
export const ROLES = ['agent', 'supervisor', 'admin', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export class RoleForbiddenError extends AppError {
  constructor(need: readonly Role[]) {
    super('CONSOLE.ROLE_FORBIDDEN', `this action needs the role ${need.join(' or ')}`);
  }
}

/** `CONSOLE_ROLES="dora:dpo,sam:supervisor"`: agents not listed are plain agents. */
export function parseRoles(raw: string | undefined): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [id, role, extra] = entry.split(':');
    if (!id || !isRole(role) || extra !== undefined) {
      throw new Error(`"${entry}" is not "agentId:${ROLES.join('|')}"`);
    }
    roles.set(id, role);
  }
  return roles;
}

/** Throws CONSOLE.ROLE_FORBIDDEN unless the session's role is one of `need`. */
export function requireRole(session: { role: Role }, need: readonly Role[]): void {
  if (!need.includes(session.role)) throw new RoleForbiddenError(need);
}

/** Every role but agent works across all queues and sees personal data unmasked. */
export function seesAllQueues(role: Role): boolean {
  return role !== 'agent';
}
