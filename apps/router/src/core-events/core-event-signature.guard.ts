import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { counter, rawBodyOf } from '@omnigate/kit';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { verifyCoreSignature } from './core-event-signature.mapper';
import { CoreEventUnauthorizedError } from './core-events.errors';

const refused = counter(
  'omnigate_router_core_events_refused_total',
  'Core-event webhooks refused before parsing (bad or stale signature)',
  ['reason'],
);

/**
 * Every core event passes here first: X-Core-Signature over the exact bytes received, keyed with
 * CORE_BANKING_EVENTS_SECRET, within five minutes of now. 401 with the reason otherwise, before
 * the body is validated or anything is published; logged without the body.
 */
@Injectable()
export class CoreEventSignatureGuard implements CanActivate {
  private readonly logger = new Logger('core-events');

  constructor(@Inject(ROUTER_CONFIG) private readonly config: RouterConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['x-core-signature'];
    const check = verifyCoreSignature(
      typeof header === 'string' ? header : undefined,
      rawBodyOf(req),
      this.config.CORE_BANKING_EVENTS_SECRET,
      Math.floor(Date.now() / 1000),
    );
    if (check.ok) return true;
    refused.inc({ reason: check.reason });
    this.logger.warn({ msg: 'core event refused', reason: check.reason });
    throw new CoreEventUnauthorizedError(check.reason);
  }
}
