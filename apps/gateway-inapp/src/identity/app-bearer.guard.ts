import { Injectable, createParamDecorator } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppTokenService } from '../auth/app-token.service';
import type { AppPrincipal } from '../auth/app-principal.mapper';
import { InappUnauthorizedError } from '../auth/inapp-auth.errors';

type AuthedRequest = FastifyRequest & { appPrincipal?: AppPrincipal };

/** The app's login JWT as `Authorization: Bearer <jwt>`, checked exactly like the socket handshake. */
@Injectable()
export class AppBearerGuard implements CanActivate {
  constructor(private readonly tokens: AppTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) {
      throw new InappUnauthorizedError('a login token is required: Authorization: Bearer <jwt>');
    }
    req.appPrincipal = await this.tokens.verify(m[1]);
    return true;
  }
}

/** The principal the guard attached: `@CurrentApp() app: AppPrincipal`. */
export const CurrentApp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AppPrincipal => {
    const p = context.switchToHttp().getRequest<AuthedRequest>().appPrincipal;
    if (!p) throw new InappUnauthorizedError();
    return p;
  },
);
