import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuditLogRepository } from '@omnigate/store';
import type { AuditRow, AuditSearch, ChainVerification } from '@omnigate/store';

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

/** The session the auth guard attached (its role once roles are in the session). */
export type AuditedRequest = FastifyRequest & {
  agentSession?: { agentId: string; role?: string };
};

/** Who, from where: the session's agent and role, the client address as Fastify resolved it. */
export function actorOf(req: AuditedRequest): AuditActor | null {
  const s = req.agentSession;
  if (!s) return null;
  return { agentId: s.agentId, role: s.role ?? 'agent', ip: req.ip };
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
    await this.log.append({
      actor: actor.agentId,
      action: entry.action,
      subject: entry.subject,
      detail,
    });
  }

  search(q: AuditSearch): Promise<AuditRow[]> {
    return this.log.search(q);
  }

  verify(): Promise<ChainVerification> {
    return this.log.verify();
  }
}
