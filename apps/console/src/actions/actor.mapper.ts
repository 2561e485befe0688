import type { Actor } from '@omnigate/contracts';
import type { Role } from '../privacy/roles';

/**
 * The actor the router decides and audits with: the session holder, as a supervisor when the
 * session's role is supervisor, else as an agent (an admin or dpo acts on cards as an agent;
 * only supervisors decide approvals at the console). Pure.
 */
export function actorFor(session: { agentId: string; role: Role }): Actor {
  return { id: session.agentId, role: session.role === 'supervisor' ? 'supervisor' : 'agent' };
}
