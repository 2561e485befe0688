import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CustomerAccessGuard } from '../auth/customer-access.guard';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { schemaRef } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ConsentUpdateBodySchema, CustomerIdSchema } from './consents.dto';
import type { ConsentUpdateBody, CustomerConsents } from './consents.dto';
import { ConsentsService } from './consents.service';
import { Audited } from '../audit/audited.decorator';

const idPipe = new ZodValidationPipe(CustomerIdSchema);

/** Consent per channel and purpose, as the customer gave it (keywords, app) or told an agent. */
@ApiTags('customers')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard, CustomerAccessGuard)
@Controller('api/customers/:id/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @Audited('consent.view', { customerParam: 'id' })
  @ApiOperation({
    summary: "The customer's consent on every channel and purpose",
    description:
      'Stored decisions (source keyword, app or agent) and the defaults elsewhere (source default): ' +
      'service and fraud_alert allowed, marketing only after an opt-in.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ schema: schemaRef('CustomerConsents') })
  @ApiErrors([400, 'REQUEST.INVALID (id not a UUID)'], [404, 'CONSOLE.CUSTOMER_NOT_FOUND'])
  list(@Param('id', idPipe) id: string): Promise<CustomerConsents> {
    return this.consents.list(id);
  }

  @Put()
  @Audited('consent.update', { customerParam: 'id' })
  @ApiOperation({
    summary: 'Record what the customer asked for',
    description:
      'Sets the given channel/purpose pairs (source agent, with the agent id); the others are left as ' +
      'they are. The router checks these before every outbound message.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: schemaRef('ConsentUpdateRequest') })
  @ApiOkResponse({ schema: schemaRef('CustomerConsents') })
  @ApiErrors(
    [
      400,
      'REQUEST.INVALID (id not a UUID, unknown channel or purpose, granted not a boolean, empty or duplicate entries, unknown fields)',
    ],
    [404, 'CONSOLE.CUSTOMER_NOT_FOUND'],
  )
  update(
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(ConsentUpdateBodySchema)) body: ConsentUpdateBody,
    @CurrentAgent() agent: AgentSession,
  ): Promise<CustomerConsents> {
    return this.consents.update(id, body, agent.agentId);
  }
}
