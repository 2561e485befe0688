import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import { SKILLS } from '@omnigate/contracts';
import type { Skill } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { ConsoleSessionsRepository } from '@omnigate/store';
import type { SessionRevokeReason } from '@omnigate/store';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { isRole } from '../privacy/roles';
import type { Role } from '../privacy/roles';
import { AccountDirectory } from './account-directory';
import { effectiveQueues } from './accounts.mapper';
import { Clock } from './clock.port';
import { SessionRevokedError, TokenExpiredError, TokenInvalidError } from './auth.errors';
import { mac, openSignedValue, signValue } from './signed-value';

/** What the guard attaches to a request and the socket keeps: who, with which rights, until when. */
export interface AgentSession {
  agentId: string;
  role: Role;
  /** The queues whose conversations the session may see (all of them for a non-agent). */
  queues: Skill[];
  /** Epoch ms. */
  expiresAt: number;
  /** The server-side session (hash of the token's id): what logout and revoke end. */
  sessionId: string;
  /** OIDC: preferred_username, shown only (never an id); local accounts: the agent id. */
  displayName: string;
}

/** Where the account lives: its rights are read again at every request for a local one. */
export type SessionSource = 'local' | 'oidc';

export interface SessionHolder {
  agentId: string;
  role: Role;
  queues: readonly Skill[];
  displayName?: string;
}

interface TokenPayload {
  v: 3;
  /** The session id (random, 32 bytes); the database keeps its SHA-256. */
  sid: string;
  sub: string;
  src: SessionSource;
  iat: number;
  exp: number;
}

const SESSION = 'session';
const CSRF = 'csrf';

const revocations = counter(
  'omnigate_console_sessions_revoked_total',
  'Console sessions ended on the server, by reason',
  ['reason'],
);
const refusedRevoked = counter(
  'omnigate_console_revoked_session_refused_total',
  'Requests and sockets refused because their session was revoked',
);

const hashId = (sid: string): string => createHash('sha256').update(sid).digest('base64url');

/**
 * Session tokens `base64url(JSON).base64url(HMAC-SHA256)` that name a server-side session row:
 * the signature refuses forgeries without a database read, the row makes every session revocable
 * (logout, an admin's revoke, a role change) on every console instance at once. The role and
 * queues of an OIDC session are the row's; a local account's are read again at every check, and a
 * changed role ends the session (it was granted for the old one, e.g. without a second factor).
 */
@Injectable()
export class SessionTokenService {
  private readonly secret: string;
  private readonly ttlMs: number;
  private readonly events = new EventEmitter();

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly clock: Clock,
    private readonly accounts: AccountDirectory,
    private readonly sessions: ConsoleSessionsRepository,
  ) {
    this.secret = config.CONSOLE_SESSION_SECRET;
    this.ttlMs = config.CONSOLE_SESSION_TTL_MIN * 60_000;
  }

  async issue(
    who: SessionHolder,
    src: SessionSource = 'local',
  ): Promise<{ token: string; session: AgentSession }> {
    const iat = this.clock.now();
    const queues = effectiveQueues(who.role, who.queues);
    const payload: TokenPayload = {
      v: 3,
      sid: randomBytes(32).toString('base64url'),
      sub: who.agentId,
      src,
      iat,
      exp: iat + this.ttlMs,
    };
    const sessionId = hashId(payload.sid);
    await this.sessions.create({
      idHash: sessionId,
      agentId: who.agentId,
      role: who.role,
      queues,
      source: src,
      displayName: who.displayName ?? null,
      createdAt: new Date(iat),
      expiresAt: new Date(payload.exp),
    });
    const token = signValue(this.secret, SESSION, payload);
    return {
      token,
      session: {
        agentId: who.agentId,
        role: who.role,
        queues,
        expiresAt: payload.exp,
        sessionId,
        displayName: who.displayName ?? who.agentId,
      },
    };
  }

  /**
   * Throws TokenInvalidError (malformed, bad signature, unknown session, account gone),
   * TokenExpiredError, or SessionRevokedError (logout, admin, role changed).
   */
  async verify(token: string): Promise<AgentSession> {
    const payload = decodePayload(openSignedValue(this.secret, SESSION, token));
    if (!payload) throw new TokenInvalidError();
    if (payload.exp <= this.clock.now()) throw new TokenExpiredError();
    const sessionId = hashId(payload.sid);
    const row = await this.sessions.find(sessionId);
    if (!row || row.agentId !== payload.sub || row.source !== payload.src) {
      throw new TokenInvalidError();
    }
    if (row.revokedAt) {
      refusedRevoked.inc();
      throw new SessionRevokedError();
    }
    const base = { agentId: row.agentId, expiresAt: payload.exp, sessionId };
    if (payload.src === 'oidc') {
      if (!isRole(row.role)) throw new TokenInvalidError();
      return {
        ...base,
        role: row.role,
        queues: row.queues.filter(isSkill),
        displayName: row.displayName ?? row.agentId,
      };
    }
    const account = this.accounts.find(payload.sub);
    if (!account || account.role !== row.role) {
      await this.revokeOne(sessionId, account ? 'role_changed' : 'account_removed');
      refusedRevoked.inc();
      throw new SessionRevokedError();
    }
    return { ...base, role: account.role, queues: account.queues, displayName: account.id };
  }

  /** Ends one session (logout); true when it was open. */
  async revokeOne(sessionId: string, reason: SessionRevokeReason): Promise<boolean> {
    const ended = await this.sessions.revoke(sessionId, reason, new Date(this.clock.now()));
    if (ended) this.ended([sessionId], reason);
    return ended;
  }

  /** Ends every open session of an agent (an admin's revoke); how many. */
  async revokeAgent(agentId: string, reason: SessionRevokeReason): Promise<number> {
    const ids = await this.sessions.revokeAgent(agentId, reason, new Date(this.clock.now()));
    if (ids.length) this.ended(ids, reason);
    return ids.length;
  }

  /** Called with the ids of sessions this instance ended (the live sockets close at once). */
  onRevoked(listener: (sessionIds: readonly string[]) => void): void {
    this.events.on('revoked', listener);
  }

  /** Forgets sessions that expired a day ago. */
  purgeExpired(): Promise<number> {
    return this.sessions.purgeExpired(new Date(this.clock.now() - 24 * 3_600_000));
  }

  /** The CSRF token of a session: derived from the session token, so nothing is stored. */
  csrfFor(token: string): string {
    return mac(this.secret, CSRF, token);
  }

  private ended(ids: readonly string[], reason: SessionRevokeReason): void {
    revocations.inc({ reason }, ids.length);
    this.events.emit('revoked', ids);
  }
}

function isSkill(q: string): q is Skill {
  return (SKILLS as readonly string[]).includes(q);
}

function decodePayload(value: unknown): TokenPayload | null {
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Partial<TokenPayload>;
  const ok =
    p.v === 3 &&
    typeof p.sid === 'string' &&
    p.sid.length >= 32 &&
    typeof p.sub === 'string' &&
    p.sub.length > 0 &&
    (p.src === 'local' || p.src === 'oidc') &&
    Number.isFinite(p.exp) &&
    Number.isFinite(p.iat);
  return ok ? (p as TokenPayload) : null;
}
