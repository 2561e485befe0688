import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { counter } from '@omnigate/kit';
import { AuditLogRepository } from '@omnigate/store';
import type { AuditRow, AuditSearch, ChainVerification } from '@omnigate/store';

/** `write_failed`: the record could not be stored (the route then answers 503 AUDIT.UNAVAILABLE). */
const records = counter(
  'omnigate_console_audit_records_total',
  'Console audit records by outcome of what was audited, and records that could not be written',
  ['outcome'],
);

/** Who acted, and from where: taken from the request at the edge. */
export interface AuditActor {
  agentId: string;
  role: string;
  /** The client's address as the console saw it. */
  ip: string;
}

export interface ConsoleAuditEntry {
  /** Stable dotted name: `conversation.view`, `card.unblock`, `approval.approve`. */
  action: string;
  /** What was touched: a conversation, customer, card or approval id. */
  subject: string;
  customerId?: string;
  /** The customer's assurance level at that moment, when known. */
  assurance?: string;
  outcome: 'ok' | 'denied' | 'failed';
  /** Ids and codes only: never message text or personal data. */
  detail?: Record<string, string | number | boolean>;
}

/** The session the auth guard attached. */
export type AuditedRequest = FastifyRequest & {
  agentSession?: { agentId: string; role: string };
};

/** Who, from where: the session's agent and role, the client address as Fastify resolved it. */
export function actorOf(req: AuditedRequest): AuditActor | null {
  const s = req.agentSession;
  if (!s) return null;
  return { agentId: s.agentId, role: s.role, ip: req.ip };
}

/** Every view of a customer's data and every console action, into the hash-chained audit log. */
@Injectable()
export class ConsoleAuditService {
  constructor(private readonly log: AuditLogRepository) {}

  async record(actor: AuditActor, entry: ConsoleAuditEntry): Promise<void> {
    const detail: Record<string, string | number | boolean> = {
      ...entry.detail,
      role: actor.role,
      ip: actor.ip,
      outcome: entry.outcome,
    };
    if (entry.customerId) detail['customerId'] = entry.customerId;
    if (entry.assurance) detail['assurance'] = entry.assurance;
    try {
      await this.log.append({
        actor: actor.agentId,
        action: entry.action,
        subject: entry.subject,
        detail,
      });
    } catch (e) {
      records.inc({ outcome: 'write_failed' });
      throw e;
    }
    records.inc({ outcome: entry.outcome });
  }

  search(q: AuditSearch): Promise<AuditRow[]> {
    return this.log.search(q);
  }

  verify(): Promise<ChainVerification> {
    return this.log.verify();
  }
}
