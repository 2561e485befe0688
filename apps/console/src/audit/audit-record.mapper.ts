import { HttpException } from '@nestjs/common';
import { ZodError } from 'zod';
import { AppError, httpStatusForCode } from '@omnigate/kit';
import type { ConsoleAuditEntry } from './console-audit.service';
import type { AuditSpec } from './audited.decorator';

type Scalar = string | number | boolean;
type Outcome = ConsoleAuditEntry['outcome'];

/** Longest id or enum copied from a request; anything longer is cut (ids are far shorter). */
const MAX_ID = 128;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const clip = (v: string): string => v.slice(0, MAX_ID);
const field = (o: unknown, key: string): unknown =>
  o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * What a failed request means for the record: `denied` (401/403), `failed` (the rest), or null for
 * a request rejected as malformed (400: nothing was shown or done, and its ids are not ids).
 */
export function outcomeOfError(e: unknown): { outcome: Outcome; code: string } | null {
  let status = 500;
  let code = 'INTERNAL';
  if (e instanceof AppError) {
    status = httpStatusForCode(e.code);
    code = e.code;
  } else if (e instanceof HttpException) {
    status = e.getStatus();
    code = `HTTP.${status}`;
  } else if (e instanceof ZodError) {
    return null;
  }
  if (status === 400) return null;
  return { outcome: status === 401 || status === 403 ? 'denied' : 'failed', code };
}

/**
 * The customer and their assurance, when the answer names them: the context (`customer.id`,
 * `assurance.level`), a timeline (`conversation.customer.id`), an approval, an export. Pure.
 */
export function factsFromResult(result: unknown): { customerId?: string; assurance?: string } {
  const customerId =
    str(field(result, 'customerId')) ??
    str(field(field(result, 'customer'), 'id')) ??
    str(field(field(field(result, 'conversation'), 'customer'), 'id')) ??
    str(field(field(result, 'approval'), 'customerId'));
  const assurance = str(field(field(result, 'assurance'), 'level'));
  return {
    ...(customerId && UUID.test(customerId) ? { customerId } : {}),
    ...(assurance ? { assurance: clip(assurance) } : {}),
  };
}

/** The record of one request: ids from the route, listed fields of body and query, facts from the answer. */
export function auditEntryFor(
  spec: AuditSpec,
  req: { params?: unknown; body?: unknown; query?: unknown },
  outcome: { outcome: Outcome; code?: string },
  result?: unknown,
): ConsoleAuditEntry {
  const params = (req.params ?? {}) as Record<string, unknown>;
  const subjectParam = spec.subjectParam ?? 'id';
  const detail: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k !== subjectParam && k !== spec.customerParam && typeof v === 'string') {
      detail[k === 'id' ? 'conversationId' : k] = clip(v);
    }
  }
  for (const [source, keys] of [
    [req.body, spec.bodyFields],
    [req.query, spec.queryFields],
  ] as const) {
    for (const k of keys ?? []) {
      const v = field(source, k);
      if (typeof v === 'boolean' || typeof v === 'number') detail[k] = v;
      else if (typeof v === 'string') detail[k] = clip(v);
    }
  }
  if (outcome.code) detail['code'] = outcome.code;
  const fromParam = spec.customerParam ? str(params[spec.customerParam]) : undefined;
  const facts = factsFromResult(result);
  const customerId = fromParam ? clip(fromParam) : facts.customerId;
  return {
    action: spec.action,
    subject: clip(spec.subject ?? str(params[subjectParam]) ?? '-'),
    ...(customerId ? { customerId } : {}),
    ...(facts.assurance ? { assurance: facts.assurance } : {}),
    outcome: outcome.outcome,
    ...(Object.keys(detail).length ? { detail } : {}),
  };
}
