import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { toOpenApiSchema } from '../http/openapi.schemas';
import { requireRole } from '../privacy/roles';
import { AGENT_ID } from './accounts.mapper';
import { RevokeSessionsResponseSchema } from './auth.dto';
import { AgentIdInvalidError } from './auth.errors';
import { BearerAuthGuard, CurrentAgent } from './bearer-auth.guard';
import { SessionTokenService } from './session-token.service';
import type { AgentSession } from './session-token.service';

/** An admin ends another agent's sessions (a lost laptop, a leaver, a changed OIDC role). */
@ApiTags('auth')
@Controller('api/agents')
@UseGuards(BearerAuthGuard)
export class SessionsController {
  constructor(private readonly tokens: SessionTokenService) {}

  @Post(':agentId/sessions/revoke')
  @HttpCode(200)
  @Audited('auth.sessions.revoke', { subjectParam: 'agentId' })
  @ApiAgentAuth()
  @ApiOperation({
    summary: 'Revoke every open session of an agent (admin): their tokens and sockets stop at once',
  })
  @ApiOkResponse({ schema: toOpenApiSchema(RevokeSessionsResponseSchema, 'output') })
  @ApiErrors([403, 'CONSOLE.ROLE_FORBIDDEN (admin only)'])
  async revoke(
    @CurrentAgent() session: AgentSession,
    @Param('agentId') agentId: string,
  ): Promise<{ agentId: string; revoked: number }> {
    requireRole(session, ['admin']);
    // OIDC ids are `oidc:<hash>`; a local id is AGENT_ID.
    if (!AGENT_ID.test(agentId) && !/^oidc:[A-Za-z0-9_-]{16,64}$/.test(agentId)) {
      throw new AgentIdInvalidError();
    }
    return { agentId, revoked: await this.tokens.revokeAgent(agentId, 'admin') };
  }
}
