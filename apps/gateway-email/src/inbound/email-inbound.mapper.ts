import { INBOUND_MESSAGE_V1, inboundKindOf } from '@omnigate/contracts';
import type { AttachmentRef, InboundMessageV1, Redaction } from '@omnigate/contracts';
import type { EmailAuthSummary } from '../auth/email-auth.mapper';
import { authLine, dmarcProves } from '../auth/email-auth.mapper';
import type { ThreadMatch } from '../threading/threading.mapper';

const MAX_TEXT = 60_000;

export interface InboundEmail {
  /** `<id@host>`, with brackets. */
  messageId: string;
  fromAddress: string;
  fromName: string | null;
  /** The address of ours it was delivered to. */
  toAddress: string;
  /** PAN-redacted subject. */
  subject: string;
  /** PAN-redacted text the agent reads: quoted history stripped, HTML turned into text. */
  text: string;
  redactions: Redaction[];
  attachments: AttachmentRef[];
  /** Refused attachments, described for the agent (already in `text`). */
  refusedCount: number;
  auth: EmailAuthSummary;
  thread: { conversationId: string; by: ThreadMatch } | null;
  /** `att:<id>` of the full original text when quoted history was stripped. */
  originalRef: string | null;
}

/**
 * The warning the agent sees for a sender whose From address is not proven by DMARC: it failed,
 * it passed for another domain than the From address's (not aligned), or nothing was proven.
 */
export function authWarningOf(auth: EmailAuthSummary, fromAddress: string): string | null {
  if (dmarcProves(auth, fromAddress)) return null;
  if (auth.dmarc === 'fail') return 'dmarc_fail';
  return auth.dmarc === 'pass' ? 'dmarc_unaligned' : 'dmarc_unverified';
}

/**
 * The kind a mail is published with. A STOP/START from a sender DMARC did not prove is anybody's
 * claim to be that address: it stays text (so neither the gateway's opt-out list nor the router
 * acts on it) and `unprovenConsent` tells the router what it would have been. Pure.
 */
export function publishedKindOf(
  kind: InboundMessageV1['kind'],
  proven: boolean,
): { kind: InboundMessageV1['kind']; unprovenConsent?: 'optout' | 'optin' } {
  if (proven || (kind !== 'optout' && kind !== 'optin')) return { kind };
  return { kind: 'text', unprovenConsent: kind };
}

/**
 * The text an agent reads: the subject on the first line when the mail opens a new thread (a
 * reply to us only repeats ours), then what the customer wrote. Pure.
 */
export function agentText(subject: string, body: string, isReply: boolean): string {
  const parts = [];
  if (subject && !isReply) parts.push(subject);
  if (body) parts.push(body);
  const text = parts.join('\n\n');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n[…]` : text || '(no text)';
}

/** A parsed, checked, redacted inbound email → InboundMessage v1 on msg.in.v1.email. Pure. */
export function toInboundMessage(mail: InboundEmail, id: string, now: Date): InboundMessageV1 {
  const proven = dmarcProves(mail.auth, mail.fromAddress);
  const warning = authWarningOf(mail.auth, mail.fromAddress);
  const meta: Record<string, string> = {
    subject: mail.subject.slice(0, 1024),
    emailAuth: authLine(mail.auth),
  };
  if (warning) meta.authWarning = warning;
  // A mail whose subject (or whole own text) is STOP/ANNULLA/START... is a consent instruction.
  const { kind, unprovenConsent } = publishedKindOf(emailKindOf(mail.subject, mail.text), proven);
  if (unprovenConsent) meta.unprovenConsent = unprovenConsent;
  if (mail.thread) {
    meta.threadConversationId = mail.thread.conversationId;
    meta.threadMatch = mail.thread.by;
  }
  if (mail.originalRef) meta.originalRef = mail.originalRef;
  if (mail.refusedCount > 0) meta.refusedAttachments = String(mail.refusedCount);
  return {
    type: INBOUND_MESSAGE_V1,
    version: 1,
    id,
    occurredAt: now.toISOString(),
    channel: 'email',
    providerMessageId: mail.messageId.slice(0, 256),
    from: {
      address: mail.fromAddress,
      ...(mail.fromName ? { displayName: mail.fromName.slice(0, 200) } : {}),
    },
    to: { address: mail.toAddress.slice(0, 320) },
    kind,
    text: agentText(mail.subject, mail.text, mail.thread !== null),
    attachments: mail.attachments.slice(0, 20),
    redactions: mail.redactions.slice(0, 100),
    auth: proven
      ? { method: 'email_dmarc', level: 'none', subject: mail.fromAddress }
      : { method: 'none', level: 'none' },
    meta,
  };
}

/** The subject decides; with an empty or "Re:" subject, the customer's own text does. Pure. */
export function emailKindOf(subject: string, ownText: string): InboundMessageV1['kind'] {
  const bySubject = inboundKindOf(subject.replace(/^\s*(re|r|aw|fwd?)\s*:\s*/i, ''));
  return bySubject !== 'text' ? bySubject : inboundKindOf(ownText);
}
