import { Body, Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { TicketActionResponseV1Schema } from '@omnigate/contracts';
import type { TicketActionResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import type { Role } from '../privacy/roles';
import { RouterRpcClient } from '../router/router-rpc.client';
import { ResolveTicketBodySchema, TicketIdSchema } from './actions.dto';
import type { ResolveTicketBody } from './actions.dto';
import { actorFor } from './actor.mapper';

/** Resolving a ticket, through the router, which tells the customer in the app and by SMS. */
@ApiTags('actions')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/tickets')
export class TicketsController {
  private readonly roles: Map<string, Role>;

  constructor(
    private readonly router: RouterRpcClient,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.roles = config.CONSOLE_ROLES;
  }

  @Post(':id/resolve')
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
    [404, 'ACTION.TICKET_NOT_FOUND'],
    [409, 'ACTION.TICKET_CONFLICT (closed already, or of another conversation)'],
    [503, 'BUS.UNAVAILABLE'],
  )
  resolve(
    @Param('id', new ZodValidationPipe(TicketIdSchema)) id: string,
    @Body(new ZodValidationPipe(ResolveTicketBodySchema)) body: ResolveTicketBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<TicketActionResponseV1> {
    return this.router.ticketAction({
      action: 'resolve',
      ticketId: id,
      conversationId: body.conversationId,
      resolution: body.resolution,
      actor: actorFor(this.roles, agent.agentId),
    });
  }
}
