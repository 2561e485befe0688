import { Injectable, Logger } from '@nestjs/common';
import { ConsoleAuditService } from '../audit/console-audit.service';
import type { ConsoleAccount } from './accounts.mapper';
import type { AgentSession, SessionSource } from './session-token.service';

/** The subject of a login record whose id is not an account (never the typed text). */
export const UNKNOWN_ACCOUNT = '(unknown account)';

/**
 * Login, logout and lockout records in the console's hash-chained audit log. A refused login
 * names the account only when the id is one (a typed id that is no account may be a password
 * pasted in the wrong field); a successful one must be recorded or it fails (no unaudited session).
 */
@Injectable()
export class LoginAuditor {
  private readonly logger = new Logger('console-auth');

  constructor(private readonly audit: ConsoleAuditService) {}

  loggedIn(session: AgentSession, via: SessionSource, ip: string): Promise<void> {
    return this.audit.record(
      { agentId: session.agentId, role: session.role, ip },
      {
        action: 'auth.login',
        subject: session.agentId,
        outcome: 'ok',
        detail: { via, session: session.sessionId.slice(0, 12) },
      },
    );
  }

  loggedOut(session: AgentSession, ip: string): Promise<void> {
    return this.audit.record(
      { agentId: session.agentId, role: session.role, ip },
      {
        action: 'auth.logout',
        subject: session.agentId,
        outcome: 'ok',
        detail: { session: session.sessionId.slice(0, 12) },
      },
    );
  }

  /** Best effort: a refusal is answered even when its record cannot be written (logged). */
  async refused(
    account: ConsoleAccount | null,
    ip: string,
    code: string,
    extra: { reason?: string | undefined; locked?: readonly string[] } = {},
  ): Promise<void> {
    const who = account?.id ?? UNKNOWN_ACCOUNT;
    const detail: Record<string, string> = { code, via: 'local' };
    if (extra.reason) detail['reason'] = extra.reason;
    if (extra.locked?.length) detail['locked'] = extra.locked.join(',');
    await this.audit
      .record(
        { agentId: who, role: account?.role ?? 'none', ip },
        { action: 'auth.login', subject: who, outcome: 'denied', detail },
      )
      .catch((e: unknown) =>
        this.logger.error(
          { msg: 'login audit record not written', code },
          e instanceof Error ? e : undefined,
        ),
      );
  }
}
