import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TwilioRestClient, checkTwilioSignature } from '@omnigate/twilio';
import { WHATSAPP_CONFIG } from '../../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../../config/gateway-whatsapp.config';
import {
  WhatsAppSignatureInvalidError,
  WhatsAppSignatureMissingError,
} from '../../whatsapp.errors';
import { whatsappMetrics } from '../../whatsapp.metrics';

/** Twilio's WhatsApp webhooks: X-Twilio-Signature checked (@omnigate/twilio) against WHATSAPP_PUBLIC_URL + path. */
@Injectable()
export class TwilioWhatsAppSignatureGuard implements CanActivate {
  private readonly logger = new Logger('whatsapp-signature');

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly rest: TwilioRestClient,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    whatsappMetrics.webhooksReceived.inc({ provider: 'twilio' });
    const check = checkTwilioSignature(this.rest, this.config.WHATSAPP_PUBLIC_URL, req);
    if (check === 'ok') return true;
    whatsappMetrics.signatureFailures.inc({ provider: 'twilio', reason: check });
    this.logger.warn({ msg: 'twilio whatsapp webhook refused', reason: check });
    throw check === 'missing'
      ? new WhatsAppSignatureMissingError('X-Twilio-Signature')
      : new WhatsAppSignatureInvalidError('X-Twilio-Signature');
  }
}
