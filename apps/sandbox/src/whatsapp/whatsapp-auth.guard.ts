import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { GraphErrors } from './whatsapp-graph.errors';

/** Bearer token of the fake Graph API: the configured system-user token, else 401 (code 190). */
@Injectable()
export class WhatsAppAuthGuard implements CanActivate {
  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
    const want = Buffer.from(this.config.SANDBOX_WHATSAPP_ACCESS_TOKEN);
    if (
      !/^Bearer\s/i.test(header) ||
      given.length !== want.length ||
      !timingSafeEqual(given, want)
    ) {
      throw GraphErrors.invalidToken();
    }
    return true;
  }
}
