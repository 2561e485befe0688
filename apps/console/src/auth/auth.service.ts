import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Skill } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import type { Role } from '../privacy/roles';
import { AccountDirectory } from './account-directory';
import { ConsoleUnauthorizedError } from './auth.errors';
import { SESSION_COOKIE, serializeCookie } from './cookie.mapper';
import { SessionTokenService } from './session-token.service';
import type { AgentSession, SessionSource } from './session-token.service';

/** `GET /api/me`: the session as the web UI needs it. */
export interface SessionView {
  agentId: string;
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

const logins = counter('omnigate_console_logins_total', 'Console login attempts', ['outcome']);

/** Local login (argon2 accounts) and the session view and cookie every login method ends with. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('console-auth');
  private readonly secureCookie: boolean;
  private readonly ttlSec: number;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly accounts: AccountDirectory,
    private readonly tokens: SessionTokenService,
  ) {
    this.secureCookie = config.CONSOLE_COOKIE_SECURE;
    this.ttlSec = config.CONSOLE_SESSION_TTL_MIN * 60;
  }

  async login(agentId: string, password: string): Promise<LoginResult> {
    const account = await this.accounts.verify(agentId, password);
    if (!account) {
      logins.inc({ outcome: 'refused' });
      // No agent id in the log: a mistyped password pasted as the id would land there.
      this.logger.warn({ msg: 'login refused', code: 'CONSOLE.UNAUTHORIZED' });
      throw new ConsoleUnauthorizedError('wrong agent id or password');
    }
    return this.start({ agentId: account.id, role: account.role, queues: account.queues }, 'local');
  }

  /** Issues the session of someone already authenticated (a password or the identity provider). */
  start(
    who: { agentId: string; role: Role; queues: readonly Skill[] },
    src: SessionSource,
  ): LoginResult {
    const { token, session } = this.tokens.issue(who, src);
    logins.inc({ outcome: 'ok' });
    this.logger.log({ msg: 'agent logged in', agentId: who.agentId, role: who.role, via: src });
    return { ...this.view(session, token), token };
  }

  view(session: AgentSession, token: string): SessionView {
    return {
      agentId: session.agentId,
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
}
