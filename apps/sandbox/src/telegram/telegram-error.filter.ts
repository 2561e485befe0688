import { Catch, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { TelegramApiError, TelegramErrors } from './telegram-api.errors';

/** The fake Bot API answers errors in Telegram's JSON shape, never in ours. */
@Catch()
export class TelegramErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('telegram-api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let error: TelegramApiError;
    if (exception instanceof TelegramApiError) {
      error = exception;
    } else {
      error = TelegramErrors.internal();
      this.logger.error(
        { msg: 'fake Bot API failed' },
        exception instanceof Error ? exception : undefined,
      );
    }
    void reply.status(error.status).header('content-type', 'application/json').send(error.toBody());
  }
}
