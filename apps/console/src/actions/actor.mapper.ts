import type { Actor } from '@omnigate/contracts';
import type { Role } from '../privacy/roles';

/**
 * The actor the router decides and audits with: the token holder, as a supervisor when the
 * console's roles say so, else as an agent (a dpo acts on cards as an agent). Pure.
 */
export function actorFor(roles: ReadonlyMap<string, Role>, agentId: string): Actor {
  return { id: agentId, role: roles.get(agentId) === 'supervisor' ? 'supervisor' : 'agent' };
}
