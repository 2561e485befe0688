import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { TicketActionResponseV1Schema, RouterRequests } from '@omnigate/contracts';
import type { TicketActionResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import { ConversationAccessGuard, ConversationFromBody } from '../auth/conversation-access.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { RouterRpcClient } from '../router/router-rpc.client';
import {
  HoldingReplyBodySchema,
  ResolveTicketBodySchema,
  SchemeRaisedBodySchema,
  TicketIdSchema,
} from './actions.dto';
import type { HoldingReplyBody, ResolveTicketBody, SchemeRaisedBody } from './actions.dto';
import { actorFor } from './actor.mapper';
import { Audited } from '../audit/audited.decorator';

/**
 * Resolving a ticket, through the router, which tells the customer in the app and by SMS;
 * recording the holding reply that extends a regulatory clock; recording that a card dispute was
 * raised with its scheme, which stops the scheme clock.
 */
@ApiTags('actions')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard, ConversationAccessGuard)
@Controller('api/tickets')
export class TicketsController {
  constructor(private readonly router: RouterRpcClient) {}

  @Post(':id/resolve')
  @Audited('ticket.resolve', { bodyFields: ['conversationId'] })
  @ConversationFromBody()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resolve a ticket; the customer is told the resolution in the app and by SMS',
    description:
      "The notification goes to the ticket's conversation (or the customer's open one), in the " +
      "customer's language, with a fallback channel when one fails.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(ResolveTicketBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(TicketActionResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (resolution missing or too long, id not a UUID)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent: conversationId missing or not in their queues)'],
    [404, 'ACTION.TICKET_NOT_FOUND'],
    [409, 'ACTION.TICKET_CONFLICT (closed already, or of another conversation)'],
    [503, 'BUS.UNAVAILABLE'],
  )
  resolve(
    @Param('id', new ZodValidationPipe(TicketIdSchema)) id: string,
    @Body(new ZodValidationPipe(ResolveTicketBodySchema)) body: ResolveTicketBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<TicketActionResponseV1> {
    return this.router.call(RouterRequests.ticketAction, {
      action: 'resolve',
      ticketId: id,
      conversationId: body.conversationId,
      resolution: body.resolution,
      actor: actorFor(agent),
    });
  }

  @Post(':id/holding-reply')
  @Audited('ticket.holding_reply', { bodyFields: ['conversationId'] })
  @ConversationFromBody()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record that a holding reply was sent: the regulatory clock is extended',
    description:
      'PSD2 complaints: 15 → 35 business days; US card disputes: the provisional credit (Reg E, ' +
      '45 or 90 days) or the written acknowledgement (Reg Z, 90 days). Sent after the first ' +
      'deadline it is recorded but extends nothing: the breach stands.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(HoldingReplyBodySchema, 'input'), required: false })
  @ApiOkResponse({ schema: toOpenApiSchema(TicketActionResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (id not a UUID)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent: conversationId missing or not in their queues)'],
    [404, 'ACTION.TICKET_NOT_FOUND'],
    [409, 'ACTION.TICKET_CONFLICT (closed, no clock, or holding reply recorded already)'],
    [503, 'BUS.UNAVAILABLE'],
  )
  holdingReply(
    @Param('id', new ZodValidationPipe(TicketIdSchema)) id: string,
    @Body(new ZodValidationPipe(HoldingReplyBodySchema)) body: HoldingReplyBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<TicketActionResponseV1> {
    return this.router.call(RouterRequests.ticketAction, {
      action: 'holding_reply',
      ticketId: id,
      conversationId: body.conversationId,
      actor: actorFor(agent),
    });
  }

  @Post(':id/scheme-raised')
  @Audited('ticket.scheme_raised', { bodyFields: ['conversationId'] })
  @ConversationFromBody()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Record that the card dispute was raised with Visa or Mastercard: the scheme clock stops',
    description:
      "Raised by the scheme's deadline the clock is met; later, the breach stands (counted once " +
      'in omnigate_ticket_clock_breaches_total under visa_dispute_time_limit or ' +
      'mastercard_chargeback_time_limit).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(SchemeRaisedBodySchema, 'input'), required: false })
  @ApiOkResponse({ schema: toOpenApiSchema(TicketActionResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (id not a UUID)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent: conversationId missing or not in their queues)'],
    [404, 'ACTION.TICKET_NOT_FOUND'],
    [409, 'ACTION.TICKET_CONFLICT (closed, no scheme clock, or raised already)'],
    [503, 'BUS.UNAVAILABLE'],
  )
  schemeRaised(
    @Param('id', new ZodValidationPipe(TicketIdSchema)) id: string,
    @Body(new ZodValidationPipe(SchemeRaisedBodySchema)) body: SchemeRaisedBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<TicketActionResponseV1> {
    return this.router.call(RouterRequests.ticketAction, {
      action: 'scheme_raised',
      ticketId: id,
      conversationId: body.conversationId,
      actor: actorFor(agent),
    });
  }
}
