import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ConversationSummary, CustomerContextV1 } from '@omnigate/contracts';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { arrayOf, schemaRef } from '../http/openapi.schemas';
import { RouterRpcClient } from '../router/router-rpc.client';
import { ConversationIdSchema, ListConversationsQuerySchema } from './conversations.dto';
import type { ListConversationsQuery } from './conversations.dto';
import { ConversationsService } from './conversations.service';
import type { ConversationTimeline } from './conversations.service';

const idPipe = new ZodValidationPipe(ConversationIdSchema);

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
  @ApiOperation({
    summary: 'List conversations, newest activity first (or top priority first with sort=priority)',
  })
  @ApiQueryFrom(ListConversationsQuerySchema)
  @ApiOkResponse({ description: 'conversation summaries', schema: arrayOf('ConversationSummary') })
  @ApiErrors([400, 'REQUEST.INVALID (status, limit or sort out of range)'])
  list(
    @Query(new ZodValidationPipe(ListConversationsQuerySchema)) query: ListConversationsQuery,
  ): Promise<ConversationSummary[]> {
    return this.conversations.list(query);
  }

  @Get(':id')
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
  @ApiErrors([400, 'REQUEST.INVALID (id is not a UUID)'], [404, 'CONSOLE.CONVERSATION_NOT_FOUND'])
  timeline(@Param('id', idPipe) id: string): Promise<ConversationTimeline> {
    return this.conversations.timeline(id);
  }

  @Get(':id/context')
  @ApiOperation({
    summary: "The customer's shared context, from the router",
    description:
      '`available` is false (with a reason) when core banking does not answer; the rest still comes back.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ description: 'the customer context', schema: schemaRef('CustomerContextV1') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (id is not a UUID)'],
    [404, 'ROUTER.CONVERSATION_NOT_FOUND'],
    [503, 'BUS.UNAVAILABLE (the router did not answer; try again)'],
  )
  context(@Param('id', idPipe) id: string): Promise<CustomerContextV1> {
    return this.router.getContext(id);
  }
}
