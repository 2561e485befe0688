import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditRow, ChainBreakReason } from '@omnigate/store';
import { CHAIN_BREAK_EXPLAINED } from '@omnigate/store';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { requireRole } from '../privacy/roles';
import { AuditSearchQuerySchema } from './audit.dto';
import type { AuditSearchQuery } from './audit.dto';
import { Audited } from './audited.decorator';
import { ConsoleAuditService } from './console-audit.service';

export interface AuditSearchResponse {
  /** The first seq where the hash chain breaks, or null when it holds. */
  chainBrokenAt: number | null;
  /** Newest first. */
  entries: AuditRow[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export interface AuditVerifyResponse {
  checked: number;
  brokenAt: number | null;
  reason: ChainBreakReason | null;
  explanation: string | null;
  head: { seq: number; hash: string } | null;
}

/** The admin screen's audit search and chain check (roles admin and dpo). Searches are audited. */
@ApiTags('audit')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: ConsoleAuditService) {}

  @Get()
  @Audited('audit.search', {
    subject: 'audit_log',
    queryFields: ['actor', 'action', 'subject', 'customerId'],
  })
  @ApiOperation({
    summary: 'Search the audit log, newest first, and whether its hash chain holds (admin, dpo)',
    description:
      '`customerId` matches entries about that customer (as subject or in the detail). ' +
      "Page with `before` = the previous answer's `nextBefore`.",
  })
  @ApiQueryFrom(AuditSearchQuerySchema)
  @ApiOkResponse({ description: '{ chainBrokenAt, entries, nextBefore }' })
  @ApiErrors(
    [400, 'REQUEST.INVALID (unknown filter, bad time, from after to, limit out of range)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
  )
  async search(
    @CurrentAgent() agent: AgentSession,
    @Query(new ZodValidationPipe(AuditSearchQuerySchema)) q: AuditSearchQuery,
  ): Promise<AuditSearchResponse> {
    requireRole(agent, ['admin', 'dpo']);
    const entries = await this.audit.search({
      ...q,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
    const { brokenAt } = await this.audit.verify();
    const last = entries[entries.length - 1];
    return {
      chainBrokenAt: brokenAt,
      entries,
      nextBefore: entries.length === q.limit && last ? last.seq : null,
    };
  }

  @Get('verify')
  @Audited('audit.verify', { subject: 'audit_log' })
  @ApiOperation({
    summary:
      'Check the whole hash chain: how many records hold, where and why it breaks (admin, dpo)',
  })
  @ApiOkResponse({ description: '{ checked, brokenAt, reason, explanation, head }' })
  @ApiErrors([403, 'CONSOLE.ROLE_FORBIDDEN'])
  async verify(@CurrentAgent() agent: AgentSession): Promise<AuditVerifyResponse> {
    requireRole(agent, ['admin', 'dpo']);
    const v = await this.audit.verify();
    return { ...v, explanation: v.reason ? CHAIN_BREAK_EXPLAINED[v.reason] : null };
  }
}
