import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { safeEqual } from '@omnigate/crypto';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { Clock } from './clock.port';
import { TokenExpiredError, TokenInvalidError } from './auth.errors';

export interface AgentSession {
  agentId: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface TokenPayload {
  v: 1;
  sub: string;
  iat: number;
  exp: number;
}

/**
 * Stateless session tokens: `base64url(JSON payload).base64url(HMAC-SHA256(payload part))`.
 * Nothing is stored server-side, so any console instance with the same secret accepts them.
 */
@Injectable()
export class SessionTokenService {
  private readonly secret: string;
  private readonly ttlMs: number;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly clock: Clock,
  ) {
    this.secret = config.CONSOLE_SESSION_SECRET;
    this.ttlMs = config.CONSOLE_SESSION_TTL_MIN * 60_000;
  }

  issue(agentId: string): { token: string; session: AgentSession } {
    const iat = this.clock.now();
    const payload: TokenPayload = { v: 1, sub: agentId, iat, exp: iat + this.ttlMs };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, session: { agentId, expiresAt: payload.exp } };
  }

  /** Throws TokenInvalidError (malformed, bad signature) or TokenExpiredError. */
  verify(token: string): AgentSession {
    const parts = token.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new TokenInvalidError();
    const [body, mac] = parts as [string, string];
    if (!safeEqual(mac, this.sign(body))) throw new TokenInvalidError();
    const payload = decodePayload(body);
    if (!payload) throw new TokenInvalidError();
    if (payload.exp <= this.clock.now()) throw new TokenExpiredError();
    return { agentId: payload.sub, expiresAt: payload.exp };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function decodePayload(body: string): TokenPayload | null {
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<TokenPayload>;
    const ok =
      p.v === 1 &&
      typeof p.sub === 'string' &&
      p.sub.length > 0 &&
      Number.isFinite(p.exp) &&
      Number.isFinite(p.iat);
    return ok ? (p as TokenPayload) : null;
  } catch {
    return null;
  }
}
