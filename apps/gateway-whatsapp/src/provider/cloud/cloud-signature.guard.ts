import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { rawBodyOf } from '@omnigate/kit';
import { WHATSAPP_CONFIG } from '../../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../../config/gateway-whatsapp.config';
import {
  WhatsAppSignatureInvalidError,
  WhatsAppSignatureMissingError,
} from '../../whatsapp.errors';
import { whatsappMetrics } from '../../whatsapp.metrics';
import { isValidHubSignature } from './cloud-signature.mapper';

const HEADER = 'X-Hub-Signature-256';

/**
 * Every Cloud API webhook POST passes here first: X-Hub-Signature-256 must be the HMAC-SHA256 of
 * the exact bytes received (not of re-serialised JSON), keyed with the app secret. 403 otherwise,
 * before anything is parsed further or published.
 */
@Injectable()
export class CloudSignatureGuard implements CanActivate {
  private readonly logger = new Logger('whatsapp-signature');

  constructor(@Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    whatsappMetrics.webhooksReceived.inc({ provider: 'cloud' });
    const header = req.headers['x-hub-signature-256'];
    if (typeof header !== 'string' || header.length === 0) {
      this.refuse('missing');
      throw new WhatsAppSignatureMissingError(HEADER);
    }
    const raw = rawBodyOf(req);
    if (!raw || !isValidHubSignature(this.config.WHATSAPP_APP_SECRET ?? '', raw, header)) {
      this.refuse('invalid');
      throw new WhatsAppSignatureInvalidError(HEADER);
    }
    return true;
  }

  private refuse(reason: 'missing' | 'invalid'): void {
    whatsappMetrics.signatureFailures.inc({ provider: 'cloud', reason });
    this.logger.warn({ msg: 'whatsapp cloud webhook refused', reason });
  }
}
