import { z } from 'zod';

/**
 * The app ⇄ gateway socket protocol, version 1 (see apps/gateway-inapp/PROTOCOL.md).
 * Event names and payload shapes are a contract with the mobile and web apps: add, never rename.
 */
export const ClientEvents = {
  message: 'message',
  resume: 'resume',
  typing: 'typing',
  delivered: 'delivered',
  read: 'read',
} as const;

export const ServerEvents = {
  message: 'message',
  typing: 'typing',
  authExpired: 'auth_expired',
  /** An invalid event sent without an ack callback: the error has nowhere else to go. */
  protocolError: 'protocol_error',
} as const;

/** Visible ASCII: the id travels in a NATS header (Nats-Msg-Id). UUIDs and ULIDs fit. */
const ClientMsgId = z
  .string()
  .regex(/^[\x21-\x7e]{1,64}$/, 'must be 1-64 visible ASCII characters');

export const ClientMessageSchema = z.object({
  clientMsgId: ClientMsgId,
  text: z.string().trim().min(1).max(4096),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ResumeRequestSchema = z.object({ lastSeq: z.number().int().min(0) });
export const TypingRequestSchema = z.object({ state: z.enum(['start', 'stop']) });
export const WatermarkSchema = z.object({ upToSeq: z.number().int().min(1) });

export interface AckError {
  ok: false;
  error: { code: string; message: string };
}
export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;

export function ackError(code: string, message: string): AckError {
  return { ok: false, error: { code, message } };
}

/** zod issues in one line a developer can act on: "text: Too big: expected string to have <=4096 characters". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
}
