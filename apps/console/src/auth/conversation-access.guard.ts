import { Injectable, SetMetadata } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { z } from 'zod';
import { ConversationsReader } from '@omnigate/store';
import { ConsoleAuditService } from '../audit/console-audit.service';
import { QueueForbiddenError } from './auth.errors';
import type { AuthedRequest } from './bearer-auth.guard';
import { denyOutsideQueues, limitedToQueues } from './queue-access';

const FROM_BODY = 'omnigate:conversation-from-body';
const Uuid = z.uuid();

/** The conversation is `body.conversationId` (not the `:id` route parameter). */
export const ConversationFromBody = (): MethodDecorator => SetMetadata(FROM_BODY, true);

/**
 * After BearerAuthGuard on every route about one conversation: an agent may act only on the
 * conversations of their queues; anything else is 403 CONSOLE.QUEUE_FORBIDDEN, audited as denied.
 * Supervisors, admins, dpos and agents of every queue pass without a lookup. A malformed or unknown id passes through:
 * the route's validation (400) or lookup (404) answers it as for any role.
 */
@Injectable()
export class ConversationAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly conversations: ConversationsReader,
    private readonly audit: ConsoleAuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const session = req.agentSession;
    if (!session) return false;
    if (!limitedToQueues(session)) return true;
    const fromBody = this.reflector.get<boolean | undefined>(FROM_BODY, context.getHandler());
    const raw = fromBody
      ? (req.body as { conversationId?: unknown } | undefined)?.conversationId
      : (req.params as { id?: unknown }).id;
    if (fromBody && raw === undefined) {
      // Without its conversation the ticket's queue is unknown: an agent must name it.
      const reason = 'an agent resolves a ticket through its conversation: send conversationId';
      const ticket = (req.params as { id?: string }).id ?? 'ticket';
      return this.deny(req, ticket, null, 'unknown', new QueueForbiddenError(reason));
    }
    const id = Uuid.safeParse(raw);
    if (!id.success) return true;
    const found = await this.conversations.get(id.data);
    if (!found) return true;
    const queue = found.conversation.queue;
    if ((session.queues as readonly string[]).includes(queue)) return true;
    const error = QueueForbiddenError.outside(queue, session.queues);
    return this.deny(req, id.data, found.customer.id, queue, error);
  }

  private deny(
    req: AuthedRequest,
    subject: string,
    customerId: string | null,
    queue: string,
    error: QueueForbiddenError,
  ): Promise<never> {
    return denyOutsideQueues(
      this.audit,
      req,
      { action: 'conversation.access', subject, customerId, queue },
      error,
    );
  }
}
