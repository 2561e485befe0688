import { Inject, Injectable } from '@nestjs/common';
import { SKILLS } from '@omnigate/contracts';
import type { Skill } from '@omnigate/contracts';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { isRole } from '../privacy/roles';
import type { Role } from '../privacy/roles';
import { AccountDirectory } from './account-directory';
import { effectiveQueues } from './accounts.mapper';
import { Clock } from './clock.port';
import { TokenExpiredError, TokenInvalidError } from './auth.errors';
import { mac, openSignedValue, signValue } from './signed-value';

/** What the guard attaches to a request and the socket keeps: who, with which rights, until when. */
export interface AgentSession {
  agentId: string;
  role: Role;
  /** The queues whose conversations the session may see (all of them for a non-agent). */
  queues: Skill[];
  /** Epoch ms. */
  expiresAt: number;
}

/** Where the account lives: its rights are read again at every request for a local one. */
export type SessionSource = 'local' | 'oidc';

interface TokenPayload {
  v: 2;
  sub: string;
  src: SessionSource;
  role: Role;
  queues: Skill[];
  iat: number;
  exp: number;
}

const SESSION = 'session';
const CSRF = 'csrf';

/**
 * Stateless session tokens: `base64url(JSON payload).base64url(HMAC-SHA256)`, so any console
 * instance with the same secret accepts them. The payload carries the role and queues (an OIDC
 * user has no local account to look them up in); for a local account they are read again from
 * the accounts at every verification, so a changed role or queue list (after a restart with the
 * new file) applies to open sessions at once, and a removed account's sessions stop working.
 */
@Injectable()
export class SessionTokenService {
  private readonly secret: string;
  private readonly ttlMs: number;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly clock: Clock,
    private readonly accounts: AccountDirectory,
  ) {
    this.secret = config.CONSOLE_SESSION_SECRET;
    this.ttlMs = config.CONSOLE_SESSION_TTL_MIN * 60_000;
  }

  issue(
    who: { agentId: string; role: Role; queues: readonly Skill[] },
    src: SessionSource = 'local',
  ): { token: string; session: AgentSession } {
    const iat = this.clock.now();
    const queues = effectiveQueues(who.role, who.queues);
    const payload: TokenPayload = {
      v: 2,
      sub: who.agentId,
      src,
      role: who.role,
      queues,
      iat,
      exp: iat + this.ttlMs,
    };
    const token = signValue(this.secret, SESSION, payload);
    return {
      token,
      session: { agentId: who.agentId, role: who.role, queues, expiresAt: payload.exp },
    };
  }

  /** Throws TokenInvalidError (malformed, bad signature, account gone) or TokenExpiredError. */
  verify(token: string): AgentSession {
    const payload = decodePayload(openSignedValue(this.secret, SESSION, token));
    if (!payload) throw new TokenInvalidError();
    if (payload.exp <= this.clock.now()) throw new TokenExpiredError();
    if (payload.src === 'oidc') {
      return {
        agentId: payload.sub,
        role: payload.role,
        queues: payload.queues,
        expiresAt: payload.exp,
      };
    }
    const account = this.accounts.find(payload.sub);
    if (!account) throw new TokenInvalidError();
    return {
      agentId: account.id,
      role: account.role,
      queues: account.queues,
      expiresAt: payload.exp,
    };
  }

  /** The CSRF token of a session: derived from the session token, so nothing is stored. */
  csrfFor(token: string): string {
    return mac(this.secret, CSRF, token);
  }
}

function decodePayload(value: unknown): TokenPayload | null {
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Partial<TokenPayload>;
  const ok =
    p.v === 2 &&
    typeof p.sub === 'string' &&
    p.sub.length > 0 &&
    (p.src === 'local' || p.src === 'oidc') &&
    isRole(p.role) &&
    Array.isArray(p.queues) &&
    p.queues.every((q) => (SKILLS as readonly string[]).includes(q)) &&
    Number.isFinite(p.exp) &&
    Number.isFinite(p.iat);
  return ok ? (p as TokenPayload) : null;
}
