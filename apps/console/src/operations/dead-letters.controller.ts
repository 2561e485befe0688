import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DeadLetterReader } from '@omnigate/bus';
import type { DeadLetterPage } from '@omnigate/bus';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiAgentAuth, ApiErrors, ApiQueryFrom } from '../http/openapi.decorators';
import { schemaRef } from '../http/openapi.schemas';
import { Audited } from '../audit/audited.decorator';

export const DeadLettersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
type DeadLettersQuery = z.infer<typeof DeadLettersQuerySchema>;

/**
 * What the services gave up on (bad payloads, permanent errors, retries exhausted), newest first,
 * so an operator sees it without NATS tools. Every signed-in agent may read it until roles arrive
 * (issue 6); payloads are already card-redacted.
 */
@ApiTags('operations')
@ApiAgentAuth()
@UseGuards(BearerAuthGuard)
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(private readonly reader: DeadLetterReader) {}

  @Get()
  @Audited('dead_letter.list', { subject: 'dead_letters' })
  @ApiOperation({ summary: 'Messages a consumer gave up on, newest first' })
  @ApiQueryFrom(DeadLettersQuerySchema)
  @ApiOkResponse({ description: 'dead-letter entries', schema: schemaRef('DeadLetterPage') })
  @ApiErrors(
    [400, 'REQUEST.INVALID (limit out of range)'],
    [503, 'BUS.UNAVAILABLE (NATS is not connected)'],
  )
  list(
    @Query(new ZodValidationPipe(DeadLettersQuerySchema)) query: DeadLettersQuery,
  ): Promise<DeadLetterPage> {
    return this.reader.recent(query.limit);
  }
}
