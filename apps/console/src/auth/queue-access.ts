import { SKILLS } from '@omnigate/contracts';
import { actorOf } from '../audit/console-audit.service';
import type { ConsoleAuditService } from '../audit/console-audit.service';
import { seesAllQueues } from '../privacy/roles';
import type { AgentSession } from './session-token.service';
import type { QueueForbiddenError } from './auth.errors';
import { ConsoleUnauthorizedError } from './auth.errors';
import type { AuthedRequest } from './bearer-auth.guard';

/**
 * Whether this session's reach must be checked against a conversation's queue: not for a role that
 * sees every queue, nor for an agent who belongs to all of them (no lookup then).
 */
export function limitedToQueues(session: AgentSession): boolean {
  if (seesAllQueues(session.role)) return false;
  return !SKILLS.every((q) => (session.queues as readonly string[]).includes(q));
}

/**
 * An agent refused outside their queues: the attempt goes to the audit log as denied (with the
 * route), then the 403 is thrown. Shared by the conversation and customer access guards.
 */
export async function denyOutsideQueues(
  audit: ConsoleAuditService,
  req: AuthedRequest,
  what: { action: string; subject: string; customerId: string | null; queue?: string },
  error: QueueForbiddenError,
): Promise<never> {
  const actor = actorOf(req);
  if (!actor) throw new ConsoleUnauthorizedError();
  await audit.record(actor, {
    action: what.action,
    subject: what.subject,
    ...(what.customerId && { customerId: what.customerId }),
    outcome: 'denied',
    detail: {
      code: error.code,
      ...(what.queue && { queue: what.queue }),
      route: `${req.method} ${req.routeOptions.url ?? ''}`,
    },
  });
  throw error;
}
