import { Injectable, createParamDecorator } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '@omnigate/crypto';
import { ConsoleUnauthorizedError, CsrfInvalidError } from './auth.errors';
import { SESSION_COOKIE, parseCookies } from './cookie.mapper';
import { SessionTokenService } from './session-token.service';
import type { AgentSession } from './session-token.service';

export type AuthedRequest = FastifyRequest & {
  agentSession?: AgentSession;
  /** The token the session came from (for /api/me's CSRF token). */
  agentSessionToken?: string;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/** The bearer token from `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** The session token of a request: its bearer token, else its og_session cookie. */
export function credentialOf(req: FastifyRequest): string | null {
  if (req.headers.authorization !== undefined) return bearerToken(req.headers.authorization);
  return parseCookies(req.headers.cookie)[SESSION_COOKIE] ?? null;
}

/**
 * Every /api route except login: a valid, unexpired, unrevoked session (checked against its
 * server-side row at every request), or 401 with the reason's code.
 * API clients send `Authorization: Bearer <token>`; the browser sends the HttpOnly `og_session`
 * cookie, and then every change (not GET/HEAD/OPTIONS) also needs `x-csrf-token`: another site
 * can make the browser send the cookie, but cannot read the CSRF token to put in a header.
 * A request with an Authorization header is judged by it alone (no fallback to the cookie).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly tokens: SessionTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const token = bearerToken(authorization);
      if (!token) throw new ConsoleUnauthorizedError('missing Authorization: Bearer <token>');
      return this.attach(req, token);
    }
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!cookie) {
      throw new ConsoleUnauthorizedError(
        'missing Authorization: Bearer <token> or the og_session cookie',
      );
    }
    await this.attach(req, cookie);
    if (!SAFE_METHODS.has(req.method.toUpperCase())) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, this.tokens.csrfFor(cookie))) {
        throw new CsrfInvalidError();
      }
    }
    return true;
  }

  private async attach(req: AuthedRequest, token: string): Promise<true> {
    req.agentSession = await this.tokens.verify(token);
    req.agentSessionToken = token;
    return true;
  }
}

/** The session the guard attached: `@CurrentAgent() agent: AgentSession`. */
export const CurrentAgent = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AgentSession => {
    const session = context.switchToHttp().getRequest<AuthedRequest>().agentSession;
    if (!session) throw new ConsoleUnauthorizedError();
    return session;
  },
);
