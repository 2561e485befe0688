import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { schemaRef, toOpenApiSchema } from './openapi.schemas';

export const AGENT_AUTH = 'agent';

/** Error responses of a route: `[status, 'CODE.A | CODE.B (when)']`, all with the ErrorBody shape. */
export function ApiErrors(
  ...errors: Array<[status: number, codes: string]>
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...errors.map(([status, description]) =>
      ApiResponse({ status, description, schema: schemaRef('ErrorBody') }),
    ),
  );
}

/**
 * A route behind the session guard (bearer token, or the og_session cookie plus `x-csrf-token` on
 * changes: 403 CONSOLE.CSRF_INVALID without it), and the 401s it can answer.
 */
export function ApiAgentAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(AGENT_AUTH),
    ApiErrors([
      401,
      'CONSOLE.UNAUTHORIZED (no bearer token, no og_session cookie) | CONSOLE.TOKEN_INVALID (tampered or malformed) | CONSOLE.TOKEN_EXPIRED (log in again)',
    ]),
  );
}

/** One query parameter per property of a zod object, described from the schema itself. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  const json = toOpenApiSchema(schema, 'input');
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, prop]) =>
      ApiQuery({ name, required: required.has(name), schema: prop }),
    ),
  );
}
