import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '@omnigate/crypto';
import { TELEGRAM_CONFIG } from '../config/gateway-telegram.config';
import type { GatewayTelegramConfig } from '../config/gateway-telegram.config';
import { TelegramSecretInvalidError, TelegramSecretMissingError } from '../telegram.errors';
import { telegramMetrics } from '../telegram.metrics';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Every update POSTed to the webhook passes here first: the secret token we gave setWebhook must
 * come back in X-Telegram-Bot-Api-Secret-Token (constant-time compare). Failures are counted and
 * logged without the body. In polling mode there is no webhook secret: every POST is refused.
 */
@Injectable()
export class TelegramSecretGuard implements CanActivate {
  private readonly logger = new Logger('telegram-secret');

  constructor(@Inject(TELEGRAM_CONFIG) private readonly config: GatewayTelegramConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    telegramMetrics.updatesReceived.inc({ mode: 'webhook' });
    const got = req.headers[SECRET_HEADER];
    if (typeof got !== 'string' || got.length === 0) {
      this.refuse('missing');
      throw new TelegramSecretMissingError();
    }
    const want = this.config.TELEGRAM_WEBHOOK_SECRET;
    if (this.config.TELEGRAM_MODE !== 'webhook' || !want || !safeEqual(got, want)) {
      this.refuse('invalid');
      throw new TelegramSecretInvalidError();
    }
    return true;
  }

  private refuse(reason: 'missing' | 'invalid'): void {
    telegramMetrics.secretFailures.inc({ reason });
    this.logger.warn({ msg: 'telegram webhook refused', reason });
  }
}
