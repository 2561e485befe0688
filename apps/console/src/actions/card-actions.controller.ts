import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  CardActionResponseV1Schema,
  TicketActionResponseV1Schema,
  RouterRequests,
} from '@omnigate/contracts';
import type { CardActionResponseV1, TicketActionResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import { ConversationAccessGuard } from '../auth/conversation-access.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ConversationIdSchema } from '../conversations/conversations.dto';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { RouterRpcClient } from '../router/router-rpc.client';
import { CardActionBodySchema, CardIdSchema, OpenTicketBodySchema } from './actions.dto';
import type { CardActionBody, OpenTicketBody } from './actions.dto';
import { actorFor } from './actor.mapper';
import { Audited } from '../audit/audited.decorator';

const idPipe = new ZodValidationPipe(ConversationIdSchema);
const cardPipe = new ZodValidationPipe(CardIdSchema);
const CARD_ERRORS: Array<[number, string]> = [
  [400, 'REQUEST.INVALID (reason missing or too long, ids malformed)'],
  [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent, and the conversation is not in their queues)'],
  [404, 'ROUTER.CONVERSATION_NOT_FOUND | ACTION.CARD_NOT_FOUND (not a card of this customer)'],
  [503, 'BUS.UNAVAILABLE | CORE_BANKING.UNAVAILABLE (try again with the same idempotencyKey)'],
];

/**
 * An agent's actions on the customer of a conversation, through the router: block or unblock a
 * card (unblocking a fraud-engine block is guarded there), open a ticket.
 */
@ApiTags('actions')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard, ConversationAccessGuard)
@Controller('api/conversations/:id')
export class CardActionsController {
  constructor(private readonly router: RouterRpcClient) {}

  @Post('cards/:cardId/block')
  @Audited('card.block', { subjectParam: 'cardId' })
  @HttpCode(200)
  @ApiOperation({ summary: "Block the customer's card in core banking (any agent)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'cardId' })
  @ApiBody({ schema: toOpenApiSchema(CardActionBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(CardActionResponseV1Schema, 'output') })
  @ApiErrors(...CARD_ERRORS)
  block(
    @Param('id', idPipe) id: string,
    @Param('cardId', cardPipe) cardId: string,
    @Body(new ZodValidationPipe(CardActionBodySchema)) body: CardActionBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<CardActionResponseV1> {
    return this.act(id, cardId, 'block', body, agent);
  }

  @Post('cards/:cardId/unblock')
  @Audited('card.unblock', { subjectParam: 'cardId' })
  @HttpCode(200)
  @ApiOperation({
    summary: "Unblock the customer's card; the customer is told in the app and by SMS",
    description:
      'A card the fraud engine blocked is unblocked only with the customer strongly ' +
      'authenticated now, or after a supervisor (another person) approved the request. ' +
      'Otherwise 403 ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL: the message says what is missing and ' +
      'names the pending approval (created once) that a supervisor approves with ' +
      'POST /api/approvals/{id}/approve, which unblocks the card; the customer also gets a ' +
      'request to confirm in the app.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'cardId' })
  @ApiBody({ schema: toOpenApiSchema(CardActionBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(CardActionResponseV1Schema, 'output') })
  @ApiErrors(...CARD_ERRORS, [
    403,
    'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL (fraud-engine block: needs the customer’s in-app approval of this unblock, or a supervisor approval) | CONSOLE.QUEUE_FORBIDDEN (not your queue)',
  ])
  unblock(
    @Param('id', idPipe) id: string,
    @Param('cardId', cardPipe) cardId: string,
    @Body(new ZodValidationPipe(CardActionBodySchema)) body: CardActionBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<CardActionResponseV1> {
    return this.act(id, cardId, 'unblock', body, agent);
  }

  @Post('tickets')
  @Audited('ticket.open')
  @HttpCode(201)
  @ApiOperation({
    summary: "Open a ticket for the conversation's customer",
    description:
      'A complaint or a card_dispute (with its disputeType) starts a regulatory clock under the ' +
      "rules, public holidays and time zone of its jurisdiction (IT by default); the answer's " +
      '`ticket.clock` has the deadline and the time left. A card_dispute with cardScheme, ' +
      'schemeReason and transactionProcessedOn (and, for some reasons, deliveryOn) also runs ' +
      "the scheme's time limit to raise the dispute (`ticket.schemeClock`).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(OpenTicketBodySchema, 'input') })
  @ApiCreatedResponse({ schema: toOpenApiSchema(TicketActionResponseV1Schema, 'output') })
  @ApiErrors(
    [
      400,
      'REQUEST.INVALID (subject missing or too long, a card dispute without its type, an unknown card scheme, a reason not of that scheme) | ACTION.SCHEME_DISPUTE_INVALID (a processing date in the future)',
    ],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent, and the conversation is not in their queues)'],
    [404, 'ROUTER.CONVERSATION_NOT_FOUND'],
    [503, 'BUS.UNAVAILABLE'],
  )
  openTicket(
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(OpenTicketBodySchema)) body: OpenTicketBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<TicketActionResponseV1> {
    return this.router.call(RouterRequests.ticketAction, {
      conversationId: id,
      action: 'open',
      subject: body.subject,
      kind: body.kind,
      disputeType: body.disputeType,
      jurisdiction: body.jurisdiction,
      cardScheme: body.cardScheme,
      schemeReason: body.schemeReason,
      transactionProcessedOn: body.transactionProcessedOn,
      deliveryOn: body.deliveryOn,
      actor: actorFor(agent),
    });
  }

  private act(
    conversationId: string,
    cardId: string,
    action: 'block' | 'unblock',
    body: CardActionBody,
    agent: AgentSession,
  ): Promise<CardActionResponseV1> {
    return this.router.call(RouterRequests.cardAction, {
      conversationId,
      cardId,
      action,
      actor: actorFor(agent),
      reason: body.reason,
      idempotencyKey: body.idempotencyKey ?? randomUUID(),
    });
  }
}
