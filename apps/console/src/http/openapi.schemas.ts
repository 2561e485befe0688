import { z } from 'zod';
import {
  ConversationEventV1Schema,
  ConversationSummarySchema,
  CustomerContextV1Schema,
  DeadLetterV1Schema,
  MessageViewSchema,
  SendReplyResponseV1Schema,
} from '@omnigate/contracts';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LoginBodySchema, LoginResponseSchema } from '../auth/auth.dto';
import {
  ReplyBodySchema,
  StatusHistorySchema,
  TypingBodySchema,
} from '../conversations/conversations.dto';
import { TypingSignalV1Schema } from '@omnigate/contracts';
import { ConsentUpdateBodySchema, CustomerConsentsSchema } from '../consents/consents.dto';

/** @nestjs/swagger does not export its SchemaObject type from the package root. */
type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
export type SchemaObject = Exclude<SchemaOrRef, { $ref: string }>;

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export const DeadLetterPageSchema = z.object({
  /** Masked: bodies as their length, addresses and names as a tail (DeadLetterRecord + id). */
  entries: z.array(DeadLetterV1Schema.extend({ id: z.number().int().positive() })),
  total: z.number().int().nonnegative(),
});

export const ConversationTimelineSchema = z.object({
  conversation: ConversationSummarySchema,
  messages: z.array(MessageViewSchema),
  statusHistory: StatusHistorySchema,
});

/**
 * The document's component schemas, generated from the same zod schemas that validate requests
 * and the contracts that shape responses, so the description cannot drift from the code.
 */
const API_SCHEMAS = {
  ErrorBody: { schema: ErrorBodySchema, io: 'output' },
  LoginRequest: { schema: LoginBodySchema, io: 'input' },
  LoginResponse: { schema: LoginResponseSchema, io: 'output' },
  ConversationSummary: { schema: ConversationSummarySchema, io: 'output' },
  MessageView: { schema: MessageViewSchema, io: 'output' },
  ConversationTimeline: { schema: ConversationTimelineSchema, io: 'output' },
  CustomerContextV1: { schema: CustomerContextV1Schema, io: 'output' },
  ReplyRequest: { schema: ReplyBodySchema, io: 'input' },
  ReplyResponse: { schema: SendReplyResponseV1Schema, io: 'output' },
  TypingRequest: { schema: TypingBodySchema, io: 'input' },
  DeadLetterPage: { schema: DeadLetterPageSchema, io: 'output' },
  CustomerConsents: { schema: CustomerConsentsSchema, io: 'output' },
  ConsentUpdateRequest: { schema: ConsentUpdateBodySchema, io: 'input' },
  /** Socket.io `/live` payloads, described here for the web UI. */
  ConversationEventV1: { schema: ConversationEventV1Schema, io: 'output' },
  TypingSignalV1: { schema: TypingSignalV1Schema, io: 'output' },
} as const satisfies Record<string, { schema: z.ZodType; io: 'input' | 'output' }>;

export type ApiSchemaName = keyof typeof API_SCHEMAS;

export function schemaRef(name: ApiSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

export function arrayOf(name: ApiSchemaName): SchemaObject {
  return { type: 'array', items: schemaRef(name) };
}

/** zod → an OpenAPI 3.0 schema object. Pure. */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as SchemaObject;
}

export function openApiComponentSchemas(): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const [name, { schema, io }] of Object.entries(API_SCHEMAS)) {
    out[name] = toOpenApiSchema(schema, io);
  }
  return out;
}
