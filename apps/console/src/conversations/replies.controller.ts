import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { BusPublisher } from '@omnigate/bus';
import { Subjects, RouterRequests } from '@omnigate/contracts';
import type { SendReplyResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import { ConversationAccessGuard } from '../auth/conversation-access.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { schemaRef } from '../http/openapi.schemas';
import type { TypingSignalV1 } from '@omnigate/contracts';
import { RouterRpcClient } from '../router/router-rpc.client';
import { ConversationIdSchema, ReplyBodySchema, TypingBodySchema } from './conversations.dto';
import type { ReplyBody, TypingBody } from './conversations.dto';
import { Audited } from '../audit/audited.decorator';

const idPipe = new ZodValidationPipe(ConversationIdSchema);

/** What an agent does in a conversation: reply (through the router) and typing signals. */
@ApiTags('conversations')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard, ConversationAccessGuard)
@Controller('api/conversations/:id')
export class RepliesController {
  constructor(
    private readonly router: RouterRpcClient,
    private readonly publisher: BusPublisher,
  ) {}

  @Post('messages')
  @Audited('conversation.reply', { bodyFields: ['channel', 'purpose'] })
  @HttpCode(201)
  @ApiOperation({
    summary: 'Reply to the customer',
    description:
      'The router stores the reply and sends it on `channel`, or on the channel the customer used last. ' +
      'Send the same `idempotencyKey` when retrying: the reply is stored and sent once. ' +
      'Every refusal of the router keeps its code (e.g. CONSENT.REVOKED, ROUTER.REPLY_TOO_LARGE); ' +
      'its HTTP status follows the code suffix table shared by every app.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: schemaRef('ReplyRequest') })
  @ApiCreatedResponse({
    description: 'the stored reply, as it will appear in the timeline',
    schema: schemaRef('ReplyResponse'),
  })
  @ApiErrors(
    [400, 'REQUEST.INVALID (empty or too long text, unknown channel, id not a UUID)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent, and the conversation is not in their queues)'],
    [
      404,
      'ROUTER.CONVERSATION_NOT_FOUND | ROUTER.CHANNEL_NOT_FOUND (the customer has no address on that channel)',
    ],
    [
      409,
      'CONSENT.REVOKED (the customer revoked consent to this purpose on that channel, e.g. sent STOP: choose another channel) | ROUTER.IDEMPOTENCY_KEY_CONFLICT',
    ],
    [503, 'BUS.UNAVAILABLE (the router did not answer; try again with the same idempotencyKey)'],
  )
  reply(
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(ReplyBodySchema)) body: ReplyBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<SendReplyResponseV1> {
    return this.router.call(RouterRequests.sendReply, {
      conversationId: id,
      agentId: agent.agentId,
      text: body.text,
      channel: body.channel,
      idempotencyKey: body.idempotencyKey ?? randomUUID(),
      purpose: body.purpose,
    });
  }

  @Post('typing')
  @HttpCode(204)
  @ApiOperation({ summary: 'Tell the customer the agent is typing (ephemeral, best effort)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: schemaRef('TypingRequest') })
  @ApiNoContentResponse({ description: 'signal published' })
  @ApiErrors(
    [400, 'REQUEST.INVALID (state is not start|stop)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent, and the conversation is not in their queues)'],
    [503, 'BUS.UNAVAILABLE (NATS not connected)'],
  )
  typing(
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(TypingBodySchema)) body: TypingBody,
  ): void {
    const signal: TypingSignalV1 = { conversationId: id, who: 'agent', state: body.state };
    this.publisher.publishEphemeral(Subjects.typing(id), signal);
  }
}
