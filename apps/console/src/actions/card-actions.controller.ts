import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CardActionResponseV1Schema, TicketActionResponseV1Schema } from '@omnigate/contracts';
import type { CardActionResponseV1, TicketActionResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { ConversationIdSchema } from '../conversations/conversations.dto';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import type { Role } from '../privacy/roles';
import { RouterRpcClient } from '../router/router-rpc.client';
import { CardActionBodySchema, CardIdSchema, OpenTicketBodySchema } from './actions.dto';
import type { CardActionBody, OpenTicketBody } from './actions.dto';
import { actorFor } from './actor.mapper';

const idPipe = new ZodValidationPipe(ConversationIdSchema);
const cardPipe = new ZodValidationPipe(CardIdSchema);
const CARD_ERRORS: Array<[number, string]> = [
  [400, 'REQUEST.INVALID (reason missing or too long, ids malformed)'],
  [404, 'ROUTER.CONVERSATION_NOT_FOUND | ACTION.CARD_NOT_FOUND (not a card of this customer)'],
  [503, 'BUS.UNAVAILABLE | CORE_BANKING.UNAVAILABLE (try again with the same idempotencyKey)'],
];

/**
 * An agent's actions on the customer of a conversation, through the router: block or unblock a
 * card (unblocking a fraud-engine block is guarded there), open a ticket.
 */
@ApiTags('actions')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/conversations/:id')
export class CardActionsController {
  private readonly roles: Map<string, Role>;

  constructor(
    private readonly router: RouterRpcClient,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.roles = config.CONSOLE_ROLES;
  }

  @Post('cards/:cardId/block')
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
    'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL (fraud-engine block: needs strong assurance or a supervisor approval)',
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
  @HttpCode(201)
  @ApiOperation({ summary: "Open a ticket for the conversation's customer" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(OpenTicketBodySchema, 'input') })
  @ApiCreatedResponse({ schema: toOpenApiSchema(TicketActionResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (subject missing or too long)'],
    [404, 'ROUTER.CONVERSATION_NOT_FOUND'],
    [503, 'BUS.UNAVAILABLE'],
  )
  openTicket(
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(OpenTicketBodySchema)) body: OpenTicketBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<TicketActionResponseV1> {
    return this.router.ticketAction({
      conversationId: id,
      action: 'open',
      subject: body.subject,
      actor: actorFor(this.roles, agent.agentId),
    });
  }

  private act(
    conversationId: string,
    cardId: string,
    action: 'block' | 'unblock',
    body: CardActionBody,
    agent: AgentSession,
  ): Promise<CardActionResponseV1> {
    return this.router.cardAction({
      conversationId,
      cardId,
      action,
      actor: actorFor(this.roles, agent.agentId),
      reason: body.reason,
      idempotencyKey: body.idempotencyKey ?? randomUUID(),
    });
  }
}
