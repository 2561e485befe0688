import type { z } from 'zod';

/**
 * One declaration per subject: its name on the wire and the schemas of what travels on it.
 * Handlers (libs/bus `@OnRequest` / `@OnStream` / `@OnBroadcast`) and clients (`BusClient`) take
 * the declaration, never a bare subject and a schema picked separately, so the two sides cannot
 * drift apart. Golden files: golden/requests/*.json.
 */

/** Core-NATS request-reply: one answer per request, from one instance of the serving service. */
export interface RequestDeclaration<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
> {
  readonly kind: 'request';
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
}

/** A JetStream stream read by durable consumers: stored, acknowledged, redelivered, dead-lettered. */
export interface StreamDeclaration<S extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  /** The consumers' filter subject (may end in a wildcard). */
  readonly subject: string;
  /** The JetStream stream that stores the subject (libs/bus Streams). */
  readonly stream: string;
  readonly schema: S;
  /** The concrete subject a message is published on, when `subject` is a wildcard. */
  readonly publishSubject?: (payload: z.infer<S>) => string;
  /** Its Nats-Msg-Id (JetStream drops a second publish with it inside the dedupe window). */
  readonly msgIdOf?: (payload: z.infer<S>) => string;
}

/**
 * Core-NATS fan-out: every instance gets every message, nothing is replayed (live views, typing).
 * Never for anything that must not be missed.
 */
export interface BroadcastDeclaration<S extends z.ZodType = z.ZodType> {
  readonly kind: 'broadcast';
  readonly subject: string;
  readonly schema: S;
}

export type BusDeclaration = RequestDeclaration | StreamDeclaration | BroadcastDeclaration;

export function defineRequest<Req extends z.ZodType, Res extends z.ZodType>(d: {
  subject: string;
  request: Req;
  response: Res;
}): RequestDeclaration<Req, Res> {
  return Object.freeze({ kind: 'request', ...d });
}

export function defineStream<S extends z.ZodType>(d: {
  subject: string;
  stream: string;
  schema: S;
  publishSubject?: (payload: z.infer<S>) => string;
  msgIdOf?: (payload: z.infer<S>) => string;
}): StreamDeclaration<S> {
  return Object.freeze({ kind: 'stream', ...d });
}

export function defineBroadcast<S extends z.ZodType>(d: {
  subject: string;
  schema: S;
}): BroadcastDeclaration<S> {
  return Object.freeze({ kind: 'broadcast', ...d });
}

/** The request type a caller passes (before defaults) and the answer it gets. */
export type RequestOf<D extends RequestDeclaration> = z.input<D['request']>;
export type ResponseOf<D extends RequestDeclaration> = z.infer<D['response']>;
export type PayloadOf<D extends StreamDeclaration | BroadcastDeclaration> = z.infer<D['schema']>;
