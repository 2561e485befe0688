import { Catch, HttpException, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError, httpStatusForCode } from '@omnigate/kit';
import { simulatorHttpStatus } from './simulator.errors';

/**
 * The simulator API's edge: its codes need statuses the kit's suffix table has no entry for
 * (502 GATEWAY_REFUSED, 503 CHANNEL_NOT_CONFIGURED). Same `{error: {code, message}}` shape.
 */
@Catch()
export class SimulatorErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('simulator');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message } = translate(exception);
    if (status >= 500) {
      // The code says what failed; the message may carry an address, so it stays out of the log.
      this.logger.warn({ msg: 'simulator request failed', code, status });
      if (status === 500) this.logger.error({ msg: 'simulator bug', code }, exception as Error);
    }
    void reply.status(status).send({ error: { code, message } });
  }
}

function translate(e: unknown): { status: number; code: string; message: string } {
  if (e instanceof AppError) {
    return {
      status: simulatorHttpStatus(e.code) ?? httpStatusForCode(e.code),
      code: e.code,
      message: e.message,
    };
  }
  if (e instanceof HttpException) {
    return { status: e.getStatus(), code: `HTTP.${e.getStatus()}`, message: e.message };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal error' };
}
