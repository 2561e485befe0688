import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { z } from 'zod';
import { ConversationsReader } from '@omnigate/store';
import { ConsoleAuditService } from '../audit/console-audit.service';
import { QueueForbiddenError } from './auth.errors';
import type { AuthedRequest } from './bearer-auth.guard';
import { denyOutsideQueues, limitedToQueues } from './queue-access';

const Uuid = z.uuid();

/**
 * After BearerAuthGuard on routes about one customer (`:customerId`, or `:id` where the route is
 * under /customers): an agent reaches a customer only through a conversation of their queues, so
 * a customer with none there is 403 CONSOLE.QUEUE_FORBIDDEN, audited as denied. Other roles (and
 * agents of every queue) pass;
 * a malformed id (400) or an unknown customer (404) passes to the route's own answer.
 */
@Injectable()
export class CustomerAccessGuard implements CanActivate {
  constructor(
    private readonly conversations: ConversationsReader,
    private readonly audit: ConsoleAuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const session = req.agentSession;
    if (!session) return false;
    if (!limitedToQueues(session)) return true;
    const params = req.params as { customerId?: unknown; id?: unknown };
    const id = Uuid.safeParse(params.customerId ?? params.id);
    if (!id.success) return true;
    const queues = session.queues as readonly string[];
    const theirs = await this.conversations.listForCustomer(id.data);
    if (theirs.some((c) => queues.includes(c.queue))) return true;
    // An unknown customer: the route's own 404 says so (a random id reveals nothing).
    if (theirs.length === 0 && !(await this.conversations.getCustomer(id.data))) return true;
    return denyOutsideQueues(
      this.audit,
      req,
      { action: 'customer.access', subject: id.data, customerId: id.data },
      new QueueForbiddenError(
        `this customer has no conversation in your queues (${queues.join(', ') || 'none'})`,
      ),
    );
  }
}
