import { Controller, Get, Header, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { JourneySummaryRepository } from '@omnigate/store';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { Audited } from '../audit/audited.decorator';
import { requireRole } from '../privacy/roles';
import type { Role } from '../privacy/roles';
import { JourneyRangeParamsSchema, JourneyRangeQuerySchema } from './journeys.dto';
import type { JourneyRangeQuery } from './journeys.dto';
import { toJourneyCsv, toJourneySummary } from './journey-summary.mapper';
import type { JourneySummary } from '@omnigate/contracts';

/** The dashboard is for supervisors and admins: it spans every queue. */
const VIEWERS = ['supervisor', 'admin'] as const satisfies readonly Role[];

/**
 * The journey dashboard's numbers, from the router's journey projection (journey_* tables):
 * start → end channel flows, context lost (by switch, hand-off, journey, kind), first-contact
 * resolution by day, resolution and fraud resolution times, first response, onboarding funnel,
 * bot containment, regulatory clocks and the seed article's four targets. Reads are audited.
 */
@ApiTags('journeys')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/journeys')
export class JourneysController {
  constructor(
    private readonly figures: JourneySummaryRepository,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get('summary')
  @Audited('journey.summary', { subject: 'journeys', queryFields: ['from', 'to'] })
  @ApiOperation({ summary: 'Journey figures over a range (supervisor, admin)' })
  @ApiQueryFrom(JourneyRangeParamsSchema)
  @ApiOkResponse({ description: 'the summary (see README, journey dashboard)' })
  @ApiErrors(
    [400, 'REQUEST.INVALID (not a date, to not after from, more than 366 days)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
  )
  async summary(
    @CurrentAgent() agent: AgentSession,
    @Query(new ZodValidationPipe(JourneyRangeQuerySchema)) q: JourneyRangeQuery,
  ): Promise<JourneySummary> {
    requireRole(agent, VIEWERS);
    return this.build(q);
  }

  @Get('summary.csv')
  @Audited('journey.summary_csv', { subject: 'journeys', queryFields: ['from', 'to'] })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="journeys.csv"')
  @ApiOperation({ summary: 'The same figures as CSV, one row per metric (supervisor, admin)' })
  @ApiProduces('text/csv')
  @ApiQueryFrom(JourneyRangeParamsSchema)
  @ApiErrors(
    [400, 'REQUEST.INVALID (not a date, to not after from, more than 366 days)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
  )
  async csv(
    @CurrentAgent() agent: AgentSession,
    @Query(new ZodValidationPipe(JourneyRangeQuerySchema)) q: JourneyRangeQuery,
  ): Promise<string> {
    requireRole(agent, VIEWERS);
    return toJourneyCsv(await this.build(q));
  }

  private async build(q: JourneyRangeQuery): Promise<JourneySummary> {
    const figures = await this.figures.figures(q);
    return toJourneySummary(figures, q, this.config.JOURNEY_BASELINE_RESOLUTION_MS);
  }
}
