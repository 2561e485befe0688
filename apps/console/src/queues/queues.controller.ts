import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  ListQueuesResponseV1Schema,
  SetAgentPresenceResponseV1Schema,
  SetControlResponseV1Schema,
  RouterRequests,
} from '@omnigate/contracts';
import type {
  ListQueuesResponseV1,
  SetAgentPresenceResponseV1,
  SetControlResponseV1,
} from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import { ConversationAccessGuard } from '../auth/conversation-access.guard';
import { QueueForbiddenError } from '../auth/auth.errors';
import type { AgentSession } from '../auth/session-token.service';
import { ConversationIdSchema } from '../conversations/conversations.dto';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { RouterRpcClient } from '../router/router-rpc.client';
import { ControlBodySchema, PresenceBodySchema } from './queues.dto';
import type { ControlBody, PresenceBody } from './queues.dto';
import { Audited } from '../audit/audited.decorator';

const ROUTER_DOWN: [number, string] = [
  503,
  'BUS.UNAVAILABLE (the router did not answer; try again)',
];

/**
 * Queues and who answers: the counts per queue and priority, an agent's presence (available, with
 * the queues they serve: waiting conversations are assigned at once), and the control protocol of
 * a conversation (take over from the bot, hand back to it, release). All through the router.
 */
@ApiTags('queues')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api')
export class QueuesController {
  constructor(private readonly router: RouterRpcClient) {}

  @Get('queues')
  @ApiOperation({
    summary: 'Open conversations per queue and priority, with how many wait for an agent',
  })
  @ApiOkResponse({ schema: toOpenApiSchema(ListQueuesResponseV1Schema, 'output') })
  @ApiErrors(ROUTER_DOWN)
  queues(): Promise<ListQueuesResponseV1> {
    return this.router.call(RouterRequests.listQueues, {});
  }

  @Put('agents/me/presence')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Go available (with your queues) or away',
    description:
      'Going available assigns you the conversations waiting in your queues, top priority first, up to your limit.',
  })
  @ApiBody({ schema: toOpenApiSchema(PresenceBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(SetAgentPresenceResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (unknown queue, limit out of range)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (a queue that is not yours)'],
    ROUTER_DOWN,
  )
  presence(
    @Body(new ZodValidationPipe(PresenceBodySchema)) body: PresenceBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<SetAgentPresenceResponseV1> {
    const foreign = body.skills.filter((q) => !agent.queues.includes(q));
    if (foreign.length > 0) {
      throw new QueueForbiddenError(
        `you cannot serve ${foreign.join(', ')}: your queues are ${agent.queues.join(', ')}`,
      );
    }
    return this.router.call(RouterRequests.setAgentPresence, { agentId: agent.agentId, ...body });
  }

  @Post('conversations/:id/control')
  @Audited('conversation.control', { bodyFields: ['action'] })
  @UseGuards(ConversationAccessGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take a conversation over from the bot, hand it back, or release it',
    description:
      'Exactly one of bot or agent answers. hand_back and release are refused while another agent answers.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(ControlBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(SetControlResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (action is not take_over | hand_back | release)'],
    [403, 'CONSOLE.QUEUE_FORBIDDEN (an agent, and the conversation is not in their queues)'],
    [404, 'ROUTER.CONVERSATION_NOT_FOUND'],
    [409, 'ROUTER.CONTROL_CONFLICT (another agent answers, or it changed meanwhile)'],
    ROUTER_DOWN,
  )
  control(
    @Param('id', new ZodValidationPipe(ConversationIdSchema)) id: string,
    @Body(new ZodValidationPipe(ControlBodySchema)) body: ControlBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<SetControlResponseV1> {
    return this.router.call(RouterRequests.setControl, {
      conversationId: id,
      agentId: agent.agentId,
      action: body.action,
    });
  }
}
