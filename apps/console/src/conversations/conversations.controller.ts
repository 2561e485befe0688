import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ConversationSummary, CustomerContextV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import { ConversationAccessGuard } from '../auth/conversation-access.guard';
import type { AgentSession } from '../auth/session-token.service';
import { maskContext, maskMessage, maskSummary } from '../privacy/personal-data.mapper';
import { seesAllQueues } from '../privacy/roles';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { arrayOf, schemaRef } from '../http/openapi.schemas';
import { RouterRequests } from '@omnigate/contracts';
import { RouterRpcClient } from '../router/router-rpc.client';
import { ConversationIdSchema, ListConversationsQuerySchema } from './conversations.dto';
import type { ListConversationsQuery } from './conversations.dto';
import { ConversationsService } from './conversations.service';
import type { ConversationTimeline } from './conversations.service';
import { Audited } from '../audit/audited.decorator';

const idPipe = new ZodValidationPipe(ConversationIdSchema);
const QUEUE_FORBIDDEN =
  'CONSOLE.QUEUE_FORBIDDEN (an agent, and the conversation is not in their queues)';

@ApiTags('conversations')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly router: RouterRpcClient,
  ) {}

  @Get()
  @Audited('conversation.list', { subject: 'conversations' })
  @ApiOperation({
    summary: 'List conversations, newest activity first (or top priority first with sort=priority)',
    description:
      'An agent gets only the conversations of their queues, with phone numbers and email addresses masked.',
  })
  @ApiQueryFrom(ListConversationsQuerySchema)
  @ApiOkResponse({ description: 'conversation summaries', schema: arrayOf('ConversationSummary') })
  @ApiErrors([400, 'REQUEST.INVALID (status, limit or sort out of range)'])
  async list(
    @Query(new ZodValidationPipe(ListConversationsQuerySchema)) query: ListConversationsQuery,
    @CurrentAgent() agent: AgentSession,
  ): Promise<ConversationSummary[]> {
    if (seesAllQueues(agent.role)) return this.conversations.list(query);
    return (await this.conversations.list(query, agent.queues)).map(maskSummary);
  }

  @Get(':id')
  @Audited('conversation.view')
  @ApiOperation({
    summary: 'One conversation with its whole timeline across channels',
    description:
      'Messages oldest first, each with its channel and current delivery status; `statusHistory` lists every state an outbound message went through.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({
    description: 'the conversation and its timeline',
    schema: schemaRef('ConversationTimeline'),
  })
  @ApiErrors(
    [400, 'REQUEST.INVALID (id is not a UUID)'],
    [403, QUEUE_FORBIDDEN],
    [404, 'CONSOLE.CONVERSATION_NOT_FOUND'],
  )
  @UseGuards(ConversationAccessGuard)
  async timeline(
    @Param('id', idPipe) id: string,
    @CurrentAgent() agent: AgentSession,
  ): Promise<ConversationTimeline> {
    const t = await this.conversations.timeline(id);
    if (seesAllQueues(agent.role)) return t;
    return {
      ...t,
      conversation: maskSummary(t.conversation),
      messages: t.messages.map(maskMessage),
    };
  }

  @Get(':id/context')
  @Audited('conversation.context.view')
  @ApiOperation({
    summary: "The customer's shared context, from the router",
    description:
      '`available` is false (with a reason) when core banking does not answer; the rest still comes back.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ description: 'the customer context', schema: schemaRef('CustomerContextV1') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (id is not a UUID)'],
    [403, QUEUE_FORBIDDEN],
    [404, 'ROUTER.CONVERSATION_NOT_FOUND'],
    [503, 'BUS.UNAVAILABLE (the router did not answer; try again)'],
  )
  @UseGuards(ConversationAccessGuard)
  async context(
    @Param('id', idPipe) id: string,
    @CurrentAgent() agent: AgentSession,
  ): Promise<CustomerContextV1> {
    const context = await this.router.call(RouterRequests.getContext, { conversationId: id });
    return seesAllQueues(agent.role) ? context : maskContext(context);
  }
}
