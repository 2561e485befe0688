import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DeadLetterReader, DeadLetterRedriver, Streams } from '@omnigate/bus';
import type { RedriveOutcome } from '@omnigate/bus';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { schemaRef, toOpenApiSchema } from '../http/openapi.schemas';
import { Audited } from '../audit/audited.decorator';
import { requireRole } from '../privacy/roles';
import type { Role } from '../privacy/roles';
import { toDeadLetterView } from './dead-letter-view.mapper';
import type { DeadLetterView } from './dead-letter-view.mapper';

export const DeadLettersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
type DeadLettersQuery = z.infer<typeof DeadLettersQuerySchema>;

const STREAM_NAMES = Object.values(Streams)
  .map((s) => s.name)
  .filter((n) => n !== Streams.DLQ.name) as [string, ...string[]];

/** One entry by id, or every entry (of one stream when given). */
export const RedriveBodySchema = z.union([
  z.strictObject({ id: z.number().int().positive() }),
  z.strictObject({ all: z.literal(true), stream: z.enum(STREAM_NAMES).optional() }),
]);
type RedriveBody = z.infer<typeof RedriveBodySchema>;

/** Operations on the bus are for supervisors and admins: agents see only their queues. */
const OPERATORS: readonly Role[] = ['supervisor', 'admin'];

export interface DeadLetterViewPage {
  entries: DeadLetterView[];
  total: number;
}

export interface RedriveResponse {
  redriven: number;
  outcomes: RedriveOutcome[];
}

/**
 * What the services gave up on (bad payloads, permanent errors, retries exhausted), newest first,
 * masked (no body, phone, address or name in clear), and the redrive that puts entries back on
 * their stream. Supervisors and admins only; every read and redrive is audited.
 */
@ApiTags('operations')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly reader: DeadLetterReader,
    private readonly redriver: DeadLetterRedriver,
  ) {}

  @Get()
  @Audited('dead_letter.list', { subject: 'dead_letters' })
  @ApiOperation({ summary: 'Messages a consumer gave up on, newest first (supervisor, admin)' })
  @ApiQueryFrom(DeadLettersQuerySchema)
  @ApiOkResponse({
    description: 'dead-letter entries, masked',
    schema: schemaRef('DeadLetterPage'),
  })
  @ApiErrors(
    [400, 'REQUEST.INVALID (limit out of range)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
    [503, 'BUS.UNAVAILABLE (NATS is not connected)'],
  )
  async list(
    @CurrentAgent() agent: AgentSession,
    @Query(new ZodValidationPipe(DeadLettersQuerySchema)) query: DeadLettersQuery,
  ): Promise<DeadLetterViewPage> {
    requireRole(agent, OPERATORS);
    const page = await this.reader.recent(query.limit);
    return { total: page.total, entries: page.entries.map(toDeadLetterView) };
  }

  @Post('redrive')
  @HttpCode(200)
  @Audited('dead_letter.redrive', { subject: 'dead_letters', bodyFields: ['id', 'all', 'stream'] })
  @ApiOperation({
    summary: 'Put dead letters back on their stream (supervisor, admin)',
    description:
      'The original message is taken from its stream (not from the entry) and published again; ' +
      'the entry then leaves the DLQ. An entry whose original is gone (past the stream max_age) ' +
      'or does not match it stays, with its code.',
  })
  @ApiBody({ schema: toOpenApiSchema(RedriveBodySchema, 'input') })
  @ApiOkResponse({ description: '{ redriven, outcomes: [{ id, stream, consumer, result }] }' })
  @ApiErrors(
    [400, 'REQUEST.INVALID (neither id nor all)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
    [503, 'BUS.UNAVAILABLE (NATS is not connected)'],
  )
  async redrive(
    @CurrentAgent() agent: AgentSession,
    @Body(new ZodValidationPipe(RedriveBodySchema)) body: RedriveBody,
  ): Promise<RedriveResponse> {
    requireRole(agent, OPERATORS);
    const outcomes = await this.redriver.redrive(body);
    return { redriven: outcomes.filter((o) => o.result === 'redriven').length, outcomes };
  }
}
