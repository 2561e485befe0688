import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '@omnigate/crypto';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { TwilioErrors } from './twilio-api.errors';

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;

/** HTTP Basic `AccountSid:AuthToken`, as Twilio's REST API requires; the path must name that account. */
@Injectable()
export class TwilioAuthGuard implements CanActivate {
  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const { accountSid } = req.params as { accountSid?: string };
    const creds = basicCredentials(req.headers.authorization);
    const ok =
      creds !== null &&
      safeEqual(creds.user, this.config.SANDBOX_TWILIO_ACCOUNT_SID) &&
      safeEqual(creds.pass, this.config.SANDBOX_TWILIO_AUTH_TOKEN);
    if (!ok) throw TwilioErrors.authenticate();
    if (!accountSid || !ACCOUNT_SID.test(accountSid)) throw TwilioErrors.notFound(req.url);
    if (accountSid !== creds.user) throw TwilioErrors.authenticate();
    return true;
  }
}

export function basicCredentials(
  header: string | undefined,
): { user: string; pass: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}
