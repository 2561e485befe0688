import { SetMetadata } from '@nestjs/common';

/** How a route is audited; read by AuditInterceptor. */
export interface AuditSpec {
  /** Stable dotted name: `conversation.view`, `card.unblock`, `approval.approve`. */
  action: string;
  /** The route param naming what was touched (default `id`). */
  subjectParam?: string;
  /** A fixed subject for routes without one (`conversations` for the list). */
  subject?: string;
  /** The route param holding the customer id, when the route has one. */
  customerParam?: string;
  /** Body fields copied into the record: short enums only (`action`), never free text. */
  bodyFields?: readonly string[];
  /** Query fields copied the same way (the audit search's filters). */
  queryFields?: readonly string[];
}

export const AUDIT_SPEC = 'omnigate:audit-spec';

/**
 * Records who did `action` on which ids, from where, with what outcome (and the customer's
 * assurance when the answer carries it) for this route: `@Audited('conversation.view')`.
 */
export const Audited = (action: string, opts: Omit<AuditSpec, 'action'> = {}) =>
  SetMetadata(AUDIT_SPEC, { action, ...opts } satisfies AuditSpec);
