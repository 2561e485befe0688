import { Injectable, Logger } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { auditEntryFor, outcomeOfError } from './audit-record.mapper';
import { AUDIT_SPEC } from './audited.decorator';
import type { AuditSpec } from './audited.decorator';
import { AuditUnavailableError } from './audit.errors';
import { ConsoleAuditService, actorOf } from './console-audit.service';
import type { AuditActor, AuditedRequest } from './console-audit.service';

/**
 * Writes one audit record per request of a route marked `@Audited(...)`: after the handler (so the
 * outcome and the customer's assurance in the answer are known) and before the answer leaves. A
 * view whose record cannot be written fails with AUDIT.UNAVAILABLE: no unaudited access. Requests
 * a guard turns away never reach an interceptor: the guard records those (ConversationAccessGuard).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: ConsoleAuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_SPEC, context.getHandler());
    if (!spec || context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    const actor = actorOf(req);
    if (!actor) return next.handle();
    return next.handle().pipe(
      mergeMap((result: unknown) => from(this.recordOk(actor, spec, req, result))),
      catchError((e: unknown) => from(this.recordFailure(actor, spec, req, e))),
    );
  }

  /** The answer leaves only once its record is written. */
  private async recordOk(
    actor: AuditActor,
    spec: AuditSpec,
    req: AuditedRequest,
    result: unknown,
  ): Promise<unknown> {
    try {
      await this.audit.record(actor, auditEntryFor(spec, req, { outcome: 'ok' }, result));
    } catch (e) {
      throw new AuditUnavailableError(e);
    }
    return result;
  }

  /** A refusal or failure is recorded when it can be; the error goes out as it was either way. */
  private async recordFailure(
    actor: AuditActor,
    spec: AuditSpec,
    req: AuditedRequest,
    error: unknown,
  ): Promise<never> {
    const outcome = error instanceof AuditUnavailableError ? null : outcomeOfError(error);
    if (outcome) {
      await this.audit.record(actor, auditEntryFor(spec, req, outcome)).catch((e: unknown) => {
        this.logger.error(
          { msg: 'audit record not written', action: spec.action },
          e instanceof Error ? e : undefined,
        );
      });
    }
    throw error;
  }
}
