import { Catch, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { TwilioApiError, TwilioErrors } from './twilio-api.errors';

/** The fake Twilio API answers errors in Twilio's JSON shape, never in ours. */
@Catch()
export class TwilioErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('twilio-api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let error: TwilioApiError;
    if (exception instanceof TwilioApiError) {
      error = exception;
    } else {
      error = TwilioErrors.internal();
      this.logger.error(
        { msg: 'fake Twilio API failed' },
        exception instanceof Error ? exception : undefined,
      );
    }
    if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="Twilio API"');
    void reply
      .status(error.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(error.toBody());
  }
}
