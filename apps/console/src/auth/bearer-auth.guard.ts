import { Injectable, createParamDecorator } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ConsoleUnauthorizedError } from './auth.errors';
import { SessionTokenService } from './session-token.service';
import type { AgentSession } from './session-token.service';

type AuthedRequest = FastifyRequest & { agentSession?: AgentSession };

/** The bearer token from `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** Every /api route except login: a valid, unexpired session token or 401 with the reason's code. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly tokens: SessionTokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new ConsoleUnauthorizedError('missing Authorization: Bearer <token>');
    req.agentSession = this.tokens.verify(token);
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
