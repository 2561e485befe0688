import { Injectable } from '@nestjs/common';
import { BusPermissionError, DeadLetterRedriver } from '@omnigate/bus';
import type { RedriveOutcome } from '@omnigate/bus';
import { REDRIVABLE_STREAMS } from '@omnigate/contracts';
import type {
  RedriveDeadLettersRequestV1,
  RedriveDeadLettersResponseV1,
} from '@omnigate/contracts';
import { AppError, counter } from '@omnigate/kit';
import { AuditLogRepository } from '@omnigate/store';
import { RedriveForbiddenError } from './operations.errors';
import { mayRedrive, redrivePlan, selectionDetail } from './redrive-plan.rule';

const requests = counter(
  'omnigate_router_redrive_requests_total',
  'Dead-letter redrives asked of the router, by outcome',
  ['outcome'],
);

/**
 * A supervisor's or admin's redrive, asked by the console (whose NATS user may only read the
 * DLQ). The router's user may read the original streams and publish on their subjects
 * (tools/nats-permissions.ts): DeadLetterRedriver republishes each ORIGINAL message, never an
 * entry's copy. The role is checked again here; every request is audited, refused ones too.
 */
@Injectable()
export class DeadLetterRedriveService {
  constructor(
    private readonly redriver: DeadLetterRedriver,
    private readonly audit: AuditLogRepository,
  ) {}

  async redrive(req: RedriveDeadLettersRequestV1): Promise<RedriveDeadLettersResponseV1> {
    const detail = { role: req.actor.role, ...selectionDetail(req) };
    if (!mayRedrive(req.actor)) {
      await this.record(req, 'dead_letter.redrive.refused', {
        ...detail,
        code: 'DLQ.REDRIVE_FORBIDDEN',
      });
      requests.inc({ outcome: 'forbidden' });
      throw new RedriveForbiddenError(req.actor.role);
    }
    const outcomes: RedriveOutcome[] = [];
    try {
      const seen = new Set<number>();
      for (const call of redrivePlan(req)) {
        // An unreadable entry belongs to no stream: every stream's pass reports it, kept once.
        for (const o of await this.redriver.redrive(call)) {
          if (!seen.has(o.id)) outcomes.push(o);
          seen.add(o.id);
        }
      }
    } catch (e) {
      const err = asPermissionError(e);
      const code = err instanceof AppError ? err.code : 'INTERNAL';
      // What went back before the failure stays back: the record says so.
      await this.record(req, 'dead_letter.redrive.failed', {
        ...detail,
        ...counts(outcomes),
        code,
      });
      requests.inc({ outcome: code });
      throw err;
    }
    const tally = counts(outcomes);
    await this.record(req, 'dead_letter.redriven', { ...detail, ...tally });
    requests.inc({ outcome: 'ok' });
    return { redriven: tally.redriven, outcomes };
  }

  private async record(
    req: RedriveDeadLettersRequestV1,
    action: string,
    detail: Record<string, string | number | boolean>,
  ): Promise<void> {
    await this.audit.append({ actor: req.actor.id, action, subject: 'dead_letters', detail });
  }
}

function counts(outcomes: RedriveOutcome[]): { redriven: number; refused: number } {
  const redriven = outcomes.filter((o) => o.result === 'redriven').length;
  return { redriven, refused: outcomes.length - redriven };
}

/** NATS refused the router's user: say which grants are missing and where they come from. */
function asPermissionError(e: unknown): unknown {
  if (!(e instanceof AppError) || e.code !== 'BUS.PERMISSION_DENIED') return e;
  return new BusPermissionError(
    "the router's NATS user may not redrive this dead letter (it redrives " +
      `${REDRIVABLE_STREAMS.join(', ')}): deploy deploy/nats/nats-users.conf as ` +
      'tools/nats-config.ts generates it from tools/nats-permissions.ts, or redrive with ' +
      '`npm run dlq:redrive` as the NATS user operator',
    e,
  );
}
