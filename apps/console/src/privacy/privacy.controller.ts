import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RouterRequests, VAULT_REVEAL_ROLES } from '@omnigate/contracts';
import type { CustomerExportV1, ErasureResultV1 } from '@omnigate/contracts';
import { DataOpener } from '@omnigate/store';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { Audited } from '../audit/audited.decorator';
import { ApiAgentAuth, ApiErrors } from '../http/openapi.decorators';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { CardRefSchema, CustomerIdSchema, ReasonBodySchema } from './privacy.dto';
import type { ReasonBody } from './privacy.dto';
import { requireRole } from './roles';
import { VaultRpcClient } from '../vault/vault-rpc.client';
import { RouterRpcClient } from '../router/router-rpc.client';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';

/**
 * Data protection: a customer's export and erasure (role dpo, carried out by the router, which
 * owns the tables), revealing the card number behind a reference (roles supervisor and admin,
 * asked of the vault app). Every call is audited here (who, role, from where, outcome) and by the
 * router or the vault (what was done). The audit search is apps/console/src/audit/audit.controller.ts.
 */
@ApiTags('privacy')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api')
export class PrivacyController {
  constructor(
    private readonly router: RouterRpcClient,
    private readonly vault: VaultRpcClient,
    private readonly keys: DataOpener,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get('customers/:id/export')
  @Audited('customer.export', { customerParam: 'id' })
  @ApiOperation({
    summary: 'Everything held on a customer, decrypted, as one JSON bundle (role dpo)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({
    description: 'omnigate.customer-export.v1; empty with erased=true after an erasure',
  })
  @ApiErrors(
    [400, 'REQUEST.INVALID'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
    [404, 'CUSTOMER.NOT_FOUND'],
    [413, 'PRIVACY.EXPORT_TOO_LARGE (more than one reply of the bus carries)'],
    [503, 'BUS.UNAVAILABLE (the router did not answer)'],
  )
  export(
    @CurrentAgent() agent: AgentSession,
    @Param('id', new ZodValidationPipe(CustomerIdSchema)) id: string,
  ): Promise<CustomerExportV1> {
    requireRole(agent, ['dpo']);
    return this.router.call(RouterRequests.exportCustomer, {
      customerId: id,
      actor: agent.agentId,
    });
  }

  @Post('customers/:id/erasure')
  @Audited('customer.erase', { customerParam: 'id' })
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
    [503, 'BUS.UNAVAILABLE (the router did not answer; erasing again is safe)'],
  )
  async erase(
    @CurrentAgent() agent: AgentSession,
    @Param('id', new ZodValidationPipe(CustomerIdSchema)) id: string,
    @Body(new ZodValidationPipe(ReasonBodySchema)) body: ReasonBody,
  ): Promise<ErasureResultV1> {
    requireRole(agent, ['dpo']);
    const result = await this.router.call(
      RouterRequests.eraseCustomer,
      {
        customerId: id,
        actor: agent.agentId,
        reason: body.reason,
      },
      { timeoutMs: this.config.CONSOLE_ERASURE_TIMEOUT_MS },
    );
    // The keys are destroyed: this instance stops opening them at once (others within the 60 s
    // of their key cache). Erasure is rare; the whole cache goes, attachments' keys with it.
    this.keys.clearCache();
    return result;
  }

  @Post('cards/:ref/reveal')
  @Audited('card.reveal', { subjectParam: 'ref' })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The card number behind a reference (roles supervisor and admin), from the vault, audited with the reason',
  })
  @ApiParam({ name: 'ref', example: 'ref_abcdefghijklmnopabcd' })
  @ApiErrors(
    [400, 'REQUEST.INVALID'],
    [403, 'CONSOLE.ROLE_FORBIDDEN (the vault refuses an agent too: VAULT.ROLE_FORBIDDEN)'],
    [404, 'VAULT.NOT_FOUND (the vault has not received this card)'],
    [503, 'BUS.UNAVAILABLE (the vault did not answer)'],
  )
  reveal(
    @CurrentAgent() agent: AgentSession,
    @Param('ref', new ZodValidationPipe(CardRefSchema)) ref: string,
    @Body(new ZodValidationPipe(ReasonBodySchema)) body: ReasonBody,
  ): Promise<{ pan: string; brand: string; last4: string }> {
    requireRole(agent, VAULT_REVEAL_ROLES);
    return this.vault.reveal({ ref, actor: agent.agentId, role: agent.role, reason: body.reason });
  }
}
