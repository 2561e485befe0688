import { Catch, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GraphApiError, GraphErrors } from './whatsapp-graph.errors';

/** The fake Graph API answers errors in Graph's JSON shape, never in ours. */
@Catch()
export class WhatsAppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('whatsapp-graph');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let error: GraphApiError;
    if (exception instanceof GraphApiError) {
      error = exception;
    } else {
      error = GraphErrors.internal();
      this.logger.error(
        { msg: 'fake Graph API failed' },
        exception instanceof Error ? exception : undefined,
      );
    }
    if (error.status === 401) {
      void reply.header('www-authenticate', 'OAuth "Facebook Platform" "invalid_token"');
    }
    void reply.status(error.status).send(error.toBody());
  }
}
