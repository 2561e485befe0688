import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditLogRepository, CardVault, CustomerDataService } from '@omnigate/store';
import type { AuditRow, CustomerExport, ErasureResult } from '@omnigate/store';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  AuditQuerySchema,
  CardTokenSchema,
  CustomerIdSchema,
  ReasonBodySchema,
} from './privacy.dto';
import type { AuditQuery, ReasonBody } from './privacy.dto';
import { requireRole } from './roles';
import type { Role } from './roles';

/**
 * Data protection: a customer's export and erasure (role dpo), revealing a card number behind a
 * token (role supervisor), the audit log (dpo). Every call is audited by the store.
 */
@ApiTags('privacy')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api')
export class PrivacyController {
  private readonly roles: Map<string, Role>;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly data: CustomerDataService,
    private readonly vault: CardVault,
    private readonly audit: AuditLogRepository,
  ) {
    this.roles = config.CONSOLE_ROLES;
  }

  @Get('customers/:id/export')
  @ApiOperation({
    summary: 'Everything held on a customer, decrypted, as one JSON bundle (role dpo)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({
    description: 'omnigate.customer-export.v1; empty with erased=true after an erasure',
  })
  @ApiErrors([400, 'REQUEST.INVALID'], [403, 'CONSOLE.ROLE_FORBIDDEN'], [404, 'CUSTOMER.NOT_FOUND'])
  export(
    @CurrentAgent() agent: AgentSession,
    @Param('id', new ZodValidationPipe(CustomerIdSchema)) id: string,
  ): Promise<CustomerExport> {
    requireRole(this.roles, agent.agentId, ['dpo']);
    return this.data.export(id, agent.agentId);
  }

  @Post('customers/:id/erasure')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Erase a customer (role dpo): their data key is destroyed, every copy becomes unreadable',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiErrors(
    [400, 'REQUEST.INVALID (reason missing)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'ERASURE.LEGAL_HOLD_CONFLICT (the bank must keep the records until a date)'],
  )
  erase(
    @CurrentAgent() agent: AgentSession,
    @Param('id', new ZodValidationPipe(CustomerIdSchema)) id: string,
    @Body(new ZodValidationPipe(ReasonBodySchema)) body: ReasonBody,
  ): Promise<ErasureResult> {
    requireRole(this.roles, agent.agentId, ['dpo']);
    return this.data.erase(id, agent.agentId, body.reason);
  }

  @Post('cards/:token/reveal')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The card number behind a token (role supervisor), audited with the reason',
  })
  @ApiParam({ name: 'token', example: 'tok_abcdefghijklmnopabcd' })
  @ApiErrors([400, 'REQUEST.INVALID'], [403, 'CONSOLE.ROLE_FORBIDDEN'], [404, 'VAULT.NOT_FOUND'])
  reveal(
    @CurrentAgent() agent: AgentSession,
    @Param('token', new ZodValidationPipe(CardTokenSchema)) token: string,
    @Body(new ZodValidationPipe(ReasonBodySchema)) body: ReasonBody,
  ): Promise<{ pan: string; brand: string; last4: string }> {
    requireRole(this.roles, agent.agentId, ['supervisor']);
    return this.vault.reveal(token, agent.agentId, body.reason);
  }

  @Get('audit')
  @ApiOperation({
    summary: 'The audit log, newest first, and whether its hash chain holds (role dpo)',
  })
  @ApiQueryFrom(AuditQuerySchema)
  @ApiErrors([403, 'CONSOLE.ROLE_FORBIDDEN'])
  async auditLog(
    @CurrentAgent() agent: AgentSession,
    @Query(new ZodValidationPipe(AuditQuerySchema)) query: AuditQuery,
  ): Promise<{ chainBrokenAt: number | null; entries: AuditRow[] }> {
    requireRole(this.roles, agent.agentId, ['dpo']);
    return {
      chainBrokenAt: await this.audit.verifyChain(),
      entries: await this.audit.recent(query.limit),
    };
  }
}
