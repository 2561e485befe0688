import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  DecideApprovalResponseV1Schema,
  ListApprovalsResponseV1Schema,
  RouterRequests,
} from '@omnigate/contracts';
import type { DecideApprovalResponseV1, ListApprovalsResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { requireRole } from '../privacy/roles';
import { RouterRpcClient } from '../router/router-rpc.client';
import { ApprovalIdSchema, DecisionBodySchema, ListApprovalsQuerySchema } from './actions.dto';
import type { DecisionBody, ListApprovalsQuery } from './actions.dto';
import { actorFor } from './actor.mapper';
import { Audited } from '../audit/audited.decorator';

const DECISION_ERRORS: Array<[number, string]> = [
  [400, 'REQUEST.INVALID (id not a UUID, reason too long)'],
  [
    403,
    'CONSOLE.ROLE_FORBIDDEN (not a supervisor) | ACTION.SAME_PERSON (you asked for it yourself: another supervisor decides)',
  ],
  [404, 'ACTION.APPROVAL_NOT_FOUND'],
  [409, 'ACTION.APPROVAL_CONFLICT (decided already or expired)'],
  [503, 'BUS.UNAVAILABLE'],
];

/** Supervisors decide agents' requests to unblock a card the fraud engine blocked. */
@ApiTags('actions')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/approvals')
export class ApprovalsController {
  constructor(private readonly router: RouterRpcClient) {}

  @Get()
  @Audited('approval.list', { subject: 'approvals' })
  @ApiOperation({ summary: 'Approval requests, newest first (role supervisor)' })
  @ApiQueryFrom(ListApprovalsQuerySchema)
  @ApiOkResponse({ schema: toOpenApiSchema(ListApprovalsResponseV1Schema, 'output') })
  @ApiErrors([400, 'REQUEST.INVALID (unknown status)'], [403, 'CONSOLE.ROLE_FORBIDDEN'])
  list(
    @CurrentAgent() agent: AgentSession,
    @Query(new ZodValidationPipe(ListApprovalsQuerySchema)) query: ListApprovalsQuery,
  ): Promise<ListApprovalsResponseV1> {
    requireRole(agent, ['supervisor']);
    return this.router.call(RouterRequests.listApprovals, {
      status: query.status,
      limit: query.limit,
    });
  }

  @Post(':id/approve')
  @Audited('approval.approve')
  @HttpCode(200)
  @ApiOperation({
    summary: "Approve another agent's unblock request (role supervisor): the card is unblocked",
    description:
      'Approving executes the unblock and notifies the customer. When core banking cannot be ' +
      'reached then, the answer has `card: null`, the approval stays approved, and the agent ' +
      'retries the unblock.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(DecisionBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(DecideApprovalResponseV1Schema, 'output') })
  @ApiErrors(...DECISION_ERRORS)
  approve(
    @CurrentAgent() agent: AgentSession,
    @Param('id', new ZodValidationPipe(ApprovalIdSchema)) id: string,
    @Body(new ZodValidationPipe(DecisionBodySchema)) body: DecisionBody,
  ): Promise<DecideApprovalResponseV1> {
    return this.decide(agent, id, true, body);
  }

  @Post(':id/reject')
  @Audited('approval.reject')
  @HttpCode(200)
  @ApiOperation({ summary: "Reject another agent's unblock request (role supervisor)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: toOpenApiSchema(DecisionBodySchema, 'input') })
  @ApiOkResponse({ schema: toOpenApiSchema(DecideApprovalResponseV1Schema, 'output') })
  @ApiErrors(...DECISION_ERRORS)
  reject(
    @CurrentAgent() agent: AgentSession,
    @Param('id', new ZodValidationPipe(ApprovalIdSchema)) id: string,
    @Body(new ZodValidationPipe(DecisionBodySchema)) body: DecisionBody,
  ): Promise<DecideApprovalResponseV1> {
    return this.decide(agent, id, false, body);
  }

  private decide(
    agent: AgentSession,
    approvalId: string,
    approve: boolean,
    body: DecisionBody,
  ): Promise<DecideApprovalResponseV1> {
    requireRole(agent, ['supervisor']);
    return this.router.call(RouterRequests.decideApproval, {
      approvalId,
      approve,
      reason: body.reason,
      actor: actorFor(agent),
    });
  }
}
