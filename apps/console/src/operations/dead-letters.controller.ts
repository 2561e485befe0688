import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusPermissionError, DeadLetterReader } from '@omnigate/bus';
import { RedrivableStreamSchema, RouterRequests } from '@omnigate/contracts';
import type { RedriveDeadLettersResponseV1 } from '@omnigate/contracts';
import { BearerAuthGuard, CurrentAgent } from '../auth/bearer-auth.guard';
import type { AgentSession } from '../auth/session-token.service';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { schemaRef, toOpenApiSchema } from '../http/openapi.schemas';
import { Audited } from '../audit/audited.decorator';
import { requireRole } from '../privacy/roles';
import { RouterRpcClient } from '../router/router-rpc.client';
import type { Role } from '../privacy/roles';
import { toDeadLetterView } from './dead-letter-view.mapper';
import type { DeadLetterView } from './dead-letter-view.mapper';

export const DeadLettersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
type DeadLettersQuery = z.infer<typeof DeadLettersQuerySchema>;

/** One entry by id, or every entry (of one stream the router may redrive, when given). */
export const RedriveBodySchema = z.union([
  z.strictObject({ id: z.number().int().positive() }),
  z.strictObject({ all: z.literal(true), stream: RedrivableStreamSchema.optional() }),
]);
type RedriveBody = z.infer<typeof RedriveBodySchema>;

/** Operations on the bus are for supervisors and admins: agents see only their queues. */
const OPERATORS = ['supervisor', 'admin'] as const satisfies readonly Role[];

export interface DeadLetterViewPage {
  entries: DeadLetterView[];
  total: number;
}

export type RedriveResponse = RedriveDeadLettersResponseV1;

/**
 * What the services gave up on (bad payloads, permanent errors, retries exhausted), newest first,
 * masked (no body, phone, address or name in clear), and the redrive that puts entries back on
 * their stream. Supervisors and admins only; every read and redrive is audited. The redrive is
 * the router's to carry out (rpc.v1.router.redrive_dead_letters): the console's NATS user may
 * read the DLQ but neither publish the originals nor delete entries (tools/nats-permissions.ts).
 */
@ApiTags('operations')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly reader: DeadLetterReader,
    private readonly router: RouterRpcClient,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
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
      'or does not match it stays, with its code. The router carries the redrive out and ' +
      'audits it too; CARDS entries (the vault’s) are not redriven.',
  })
  @ApiBody({ schema: toOpenApiSchema(RedriveBodySchema, 'input') })
  @ApiOkResponse({ description: '{ redriven, outcomes: [{ id, stream, consumer, result }] }' })
  @ApiErrors(
    [400, 'REQUEST.INVALID (neither id nor all)'],
    [403, 'CONSOLE.ROLE_FORBIDDEN'],
    [
      503,
      'BUS.UNAVAILABLE (the router did not answer) | BUS.PERMISSION_DENIED (NATS users deployed ' +
        'without their redrive grants: the message names the fix)',
    ],
  )
  async redrive(
    @CurrentAgent() agent: AgentSession,
    @Body(new ZodValidationPipe(RedriveBodySchema)) body: RedriveBody,
  ): Promise<RedriveResponse> {
    requireRole(agent, OPERATORS);
    const role = OPERATORS.find((r) => r === agent.role) ?? 'agent';
    try {
      return await this.router.call(
        RouterRequests.redriveDeadLetters,
        { ...body, actor: { id: agent.agentId, role } },
        { timeoutMs: this.config.CONSOLE_REDRIVE_TIMEOUT_MS },
      );
    } catch (e) {
      throw namingTheFix(e);
    }
  }
}

/**
 * NATS refused the console's own user the request (the router's refusal comes back as an RpcError
 * whose message names its fix already): say how to fix the deployment.
 */
function namingTheFix(e: unknown): unknown {
  if (!(e instanceof BusPermissionError)) return e;
  return new BusPermissionError(
    "the console's NATS user may not ask the router for a redrive: deploy " +
      'deploy/nats/nats-users.conf as tools/nats-config.ts generates it from ' +
      'tools/nats-permissions.ts, and reload nats-server',
    e,
  );
}
