import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { checkTwilioSignature } from '@omnigate/twilio';
import { SMS_CONFIG } from './config/gateway-sms.config';
import type { GatewaySmsConfig } from './config/gateway-sms.config';
import { SmsProvider } from './provider/sms-provider.port';
import { SmsSignatureInvalidError, SmsSignatureMissingError } from './sms.errors';
import { smsMetrics } from './sms.metrics';

/**
 * Every Twilio webhook passes here first: X-Twilio-Signature checked (@omnigate/twilio) against
 * SMS_PUBLIC_URL + the path and query as received, over all form params. Failures are counted and
 * logged without the body.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('sms-signature');

  constructor(
    @Inject(SMS_CONFIG) private readonly config: GatewaySmsConfig,
    private readonly provider: SmsProvider,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const endpoint = req.routeOptions.url ?? 'unknown';
    smsMetrics.webhooksReceived.inc({ endpoint });
    const check = checkTwilioSignature(
      { validateSignature: (url, params, sig) => this.provider.verifySignature(url, params, sig) },
      this.config.SMS_PUBLIC_URL,
      req,
    );
    if (check === 'missing') {
      this.refuse(endpoint, 'missing');
      throw new SmsSignatureMissingError();
    }
    if (check === 'invalid') {
      this.refuse(endpoint, 'invalid');
      throw new SmsSignatureInvalidError();
    }
    return true;
  }

  private refuse(endpoint: string, reason: 'missing' | 'invalid'): void {
    smsMetrics.signatureFailures.inc({ endpoint, reason });
    this.logger.warn({ msg: 'twilio webhook refused', endpoint, reason });
  }
}
