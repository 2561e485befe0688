import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import type { ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import { AppError } from './app-error';
import { httpStatusForCode } from './error-status';

/** Seconds a caller is asked to wait after a 503 (NATS down, streams not there yet...). */
const RETRY_AFTER_S = 5;

/**
 * The HTTP edge: AppError codes become a status and `{ error: { code, message } }`;
 * zod errors become 400 with the paths at fault; anything else is a 500 without details.
 * A 503 carries Retry-After.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message } = this.translate(exception);
    const retryAfter = exception instanceof AppError ? exception.retryAfterSec : undefined;
    if (status >= 500) {
      this.logger.error(
        { msg: 'request failed', code },
        exception instanceof Error ? exception : undefined,
      );
    }
    // A 503 is "come back later" to a provider or a client: say when, so it retries, not drops.
    // A 429 (a lockout) or 503 whose error knows when: that; any other 503: the default.
    if (retryAfter !== undefined && (status === 429 || status === 503)) {
      void reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    } else if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_S));
    void reply.status(status).send({ error: { code, message } });
  }

  private translate(e: unknown): { status: number; code: string; message: string } {
    if (e instanceof AppError) {
      return { status: httpStatusForCode(e.code), code: e.code, message: e.message };
    }
    if (e instanceof ZodError) {
      const message = e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return { status: 400, code: 'REQUEST.INVALID', message };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      return { status, code: `HTTP.${status}`, message: e.message };
    }
    return { status: 500, code: 'INTERNAL', message: 'Internal error' };
  }
}
