import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Skill } from '@omnigate/contracts';
import { AppError, counter, gauge } from '@omnigate/kit';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { AuditUnavailableError } from '../audit/audit.errors';
import type { Role } from '../privacy/roles';
import { AccountDirectory } from './account-directory';
import type { ConsoleAccount } from './accounts.mapper';
import { AGENT_ID } from './accounts.mapper';
import {
  ConsoleUnauthorizedError,
  LoginBusyError,
  LoginLockedError,
  TotpInvalidError,
  TotpRequiredError,
} from './auth.errors';
import { LoginAuditor } from './login-auditor.service';
import { LoginThrottle } from './login-throttle.service';
import { SESSION_COOKIE, serializeCookie } from './cookie.mapper';
import { Semaphore, SemaphoreFullError } from './semaphore';
import { SessionTokenService } from './session-token.service';
import type { AgentSession, SessionHolder, SessionSource } from './session-token.service';
import { TotpService } from './totp.service';

/** `GET /api/me`: the session as the web UI needs it. */
export interface SessionView {
  agentId: string;
  /** What to show: the OIDC username, or the local id. */
  displayName: string;
  role: Role;
  queues: Skill[];
  /** ISO 8601. */
  expiresAt: string;
  /** Send as `x-csrf-token` on every cookie-authenticated change. */
  csrfToken: string;
}

export interface LoginResult extends SessionView {
  /** For API clients (`Authorization: Bearer`) and the `/live` socket's `auth.token`. */
  token: string;
}

/** A local login: the claimed id, password, second factor, and where it came from. */
export interface LoginRequest {
  agentId: string;
  password: string;
  totp?: string;
  /** The client address (Fastify's request.ip: X-Forwarded-For only from TRUSTED_PROXIES). */
  ip: string;
}

const logins = counter('omnigate_console_logins_total', 'Console login attempts', ['outcome']);
const argon2Refused = counter(
  'omnigate_console_argon2_refused_total',
  'Console logins refused because every argon2 slot and queue place was taken',
);
const argon2InFlight = gauge(
  'omnigate_console_argon2_in_flight',
  'argon2 password verifications running in this console',
);

/**
 * Local login (argon2 accounts): lockout per account and per address, argon2 behind a semaphore
 * (each verification holds 19 MiB), TOTP for the roles that reveal cards or approve, every outcome
 * audited; and the session view and cookie every login method ends with.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('console-auth');
  private readonly secureCookie: boolean;
  private readonly ttlSec: number;
  private readonly argon2: Semaphore;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly accounts: AccountDirectory,
    private readonly tokens: SessionTokenService,
    private readonly throttle: LoginThrottle,
    private readonly totp: TotpService,
    private readonly auditor: LoginAuditor,
  ) {
    this.secureCookie = config.CONSOLE_COOKIE_SECURE;
    this.ttlSec = config.CONSOLE_SESSION_TTL_MIN * 60;
    this.argon2 = new Semaphore(config.CONSOLE_ARGON2_CONCURRENCY, config.CONSOLE_ARGON2_QUEUE);
  }

  async login(req: LoginRequest): Promise<LoginResult> {
    // A malformed id is never an account: counted on the address only, never written anywhere.
    const attempt = { agentId: AGENT_ID.test(req.agentId) ? req.agentId : null, ip: req.ip };
    const known = attempt.agentId ? (this.accounts.find(attempt.agentId) ?? null) : null;
    // Refused while locked without a record each time: the lockout itself was audited, and a
    // flood against a locked key must not become a flood of audit writes.
    await this.throttle.assertOpen(attempt);
    const account = await this.verifyPassword(req.agentId, req.password);
    if (!account) {
      await this.refuse(attempt, known, 'CONSOLE.UNAUTHORIZED');
      throw new ConsoleUnauthorizedError('wrong agent id or password');
    }
    if (this.totp.requiredFor(account.role)) await this.secondFactor(attempt, account, req.totp);
    await this.throttle.succeeded(account.id);
    const holder = { agentId: account.id, role: account.role, queues: account.queues };
    return this.start(holder, 'local', req.ip);
  }

  /** Issues the session of someone already authenticated (a password or the identity provider). */
  async start(who: SessionHolder, src: SessionSource, ip: string): Promise<LoginResult> {
    const { token, session } = await this.tokens.issue(who, src);
    // No session without its audit record: the record failing ends the session just made.
    await this.auditor.loggedIn(session, src, ip).catch(async (e: unknown) => {
      await this.tokens.revokeOne(session.sessionId, 'logout').catch(() => undefined);
      throw new AuditUnavailableError(e);
    });
    logins.inc({ outcome: 'ok' });
    this.logger.log({ msg: 'agent logged in', agentId: who.agentId, role: who.role, via: src });
    return { ...this.view(session, token), token };
  }

  /** Ends the session server-side (every copy of its token stops working) and audits it. */
  async logout(token: string, ip: string): Promise<void> {
    let session: AgentSession;
    try {
      session = await this.tokens.verify(token);
    } catch (e) {
      if (e instanceof AppError) return; // nothing open to end
      throw e;
    }
    if (await this.tokens.revokeOne(session.sessionId, 'logout')) {
      await this.auditor.loggedOut(session, ip);
    }
  }

  view(session: AgentSession, token: string): SessionView {
    return {
      agentId: session.agentId,
      displayName: session.displayName,
      role: session.role,
      queues: session.queues,
      expiresAt: new Date(session.expiresAt).toISOString(),
      csrfToken: this.tokens.csrfFor(token),
    };
  }

  sessionCookie(token: string): string {
    return serializeCookie(SESSION_COOKIE, token, {
      maxAgeSec: this.ttlSec,
      secure: this.secureCookie,
    });
  }

  clearedSessionCookie(): string {
    return serializeCookie(SESSION_COOKIE, '', { maxAgeSec: 0, secure: this.secureCookie });
  }

  private async verifyPassword(id: string, password: string): Promise<ConsoleAccount | null> {
    try {
      return await this.argon2.run(async () => {
        argon2InFlight.inc();
        try {
          return await this.accounts.verify(id, password);
        } finally {
          argon2InFlight.dec();
        }
      });
    } catch (e) {
      if (!(e instanceof SemaphoreFullError)) throw e;
      argon2Refused.inc();
      logins.inc({ outcome: 'busy' });
      this.logger.warn({
        msg: 'login refused: argon2 at capacity',
        code: 'CONSOLE.LOGIN_UNAVAILABLE',
      });
      throw new LoginBusyError();
    }
  }

  /** The password was right: a role with TOTP must also give a valid, unused code. */
  private async secondFactor(
    attempt: { agentId: string | null; ip: string },
    account: ConsoleAccount,
    code: string | undefined,
  ): Promise<void> {
    if (code === undefined || code === '') {
      const enrolled = await this.totp.isEnrolled(account.id);
      await this.auditor.refused(account, attempt.ip, 'CONSOLE.TOTP_REQUIRED');
      logins.inc({ outcome: 'totp_required' });
      throw new TotpRequiredError(enrolled);
    }
    const result = await this.totp.check(account.id, code);
    if (result === 'ok') return;
    if (result === 'not_enrolled') {
      await this.auditor.refused(account, attempt.ip, 'CONSOLE.TOTP_REQUIRED');
      throw new TotpRequiredError(false);
    }
    // A wrong or replayed code is a failed login like a wrong password: it counts to the lockout.
    await this.refuse(attempt, account, 'CONSOLE.TOTP_INVALID', result);
    throw new TotpInvalidError();
  }

  private async refuse(
    attempt: { agentId: string | null; ip: string },
    known: ConsoleAccount | null,
    code: string,
    reason?: string,
  ): Promise<void> {
    logins.inc({ outcome: 'refused' });
    // No agent id in the log: a mistyped password pasted as the id would land there.
    this.logger.warn({ msg: 'login refused', code });
    const { locked, retryAfterSec } = await this.throttle.failed(attempt);
    await this.auditor.refused(known, attempt.ip, code, { reason, locked });
    if (locked.length) throw new LoginLockedError(locked[0]!, retryAfterSec);
  }
}
