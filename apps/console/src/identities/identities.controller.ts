import { Body, Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { UnlinkIdentityResponseV1Schema, RouterRequests } from '@omnigate/contracts';
import type { UnlinkIdentityResponseV1 } from '@omnigate/contracts';
import { CustomerAccessGuard } from '../auth/customer-access.guard';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { CustomerIdSchema, ReasonBodySchema } from '../privacy/privacy.dto';
import type { ReasonBody } from '../privacy/privacy.dto';
import { requireRole } from '../privacy/roles';
import { RouterRpcClient } from '../router/router-rpc.client';
import { Audited } from '../audit/audited.decorator';

/** A customer's channel links: an agent or supervisor revokes one (audited by the router). */
@ApiTags('customers')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard, CustomerAccessGuard)
@Controller('api/customers/:customerId/identities')
export class IdentitiesController {
  constructor(private readonly router: RouterRpcClient) {}

  @Delete(':identityId')
  @Audited('identity.unlink', { subjectParam: 'identityId', customerParam: 'customerId' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Unlink a channel address from the customer (role agent or supervisor)',
    description:
      'The link is revoked; the next message from that address is a new unverified contact. ' +
      'The identity ids are in the customer context (linkedChannels[].identityId).',
  })
  @ApiParam({ name: 'customerId', format: 'uuid' })
  @ApiParam({ name: 'identityId', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(ReasonBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(UnlinkIdentityResponseV1Schema, 'output') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (ids malformed, reason missing)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
    [404, 'IDENTITY.NOT_FOUND (not an identity of this customer)'],
  )
  unlink(
    @CurrentAgent() agent: AgentSession,
    @Param('customerId', new ZodValidationPipe(CustomerIdSchema)) customerId: string,
    @Param('identityId', new ZodValidationPipe(CustomerIdSchema)) identityId: string,
    @Body(new ZodValidationPipe(ReasonBodySchema)) body: ReasonBody,
  ): Promise<UnlinkIdentityResponseV1> {
    requireRole(agent, ['agent', 'supervisor']);
    return this.router.call(RouterRequests.unlinkIdentity, {
      customerId,
      identityId,
      actorId: agent.agentId,
      reason: body.reason,
    });
  }
}
