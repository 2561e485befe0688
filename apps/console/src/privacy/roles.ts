import { AppError } from '@omnigate/kit';

/** Console roles beyond a plain agent. Full RBAC (queues, admin) comes with the console issue. */
export const ROLES = ['agent', 'supervisor', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

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
    const [id, role] = entry.split(':');
    if (!id || !role || !(ROLES as readonly string[]).includes(role)) {
      throw new Error(`"${entry}" is not "agentId:${ROLES.join('|')}"`);
    }
    roles.set(id, role as Role);
  }
  return roles;
}

export function requireRole(
  roles: Map<string, Role>,
  agentId: string,
  need: readonly Role[],
): void {
  if (!need.includes(roles.get(agentId) ?? 'agent')) throw new RoleForbiddenError(need);
}
