import { replyHeaders, replySubject } from '../threading/threading.mapper';

/** Headers (lower-case names) that mark a mail written by a machine: never auto-answered (RFC 3834). */
export function isAutomated(
  headers: ReadonlyMap<string, unknown>,
  mailFrom: string | null,
): boolean {
  if (mailFrom === '') return true; // a bounce
  const text = (name: string) => {
    const v = headers.get(name);
    if (typeof v === 'string') return v.toLowerCase();
    if (v && typeof v === 'object' && 'value' in v) {
      return String(v.value).toLowerCase();
    }
    return '';
  };
  const autoSubmitted = text('auto-submitted');
  return (
    (autoSubmitted !== '' && autoSubmitted !== 'no') ||
    headers.has('list-id') ||
    headers.has('list-unsubscribe') ||
    ['bulk', 'list', 'junk'].includes(text('precedence'))
  );
}

export interface RefusalReplyInput {
  /** The customer's mail: its Message-ID, subject (redacted) and References. */
  messageId: string;
  subject: string;
  references: string[];
  reasons: string[];
}

/**
 * The automatic answer to a customer whose attachments we refused, in Italian and English: what
 * was refused and why, threaded under their mail, marked Auto-Submitted so no robot answers it.
 * Pure.
 */
export function refusalReply(input: RefusalReplyInput): {
  subject: string;
  text: string;
  inReplyTo: string;
  references: string[];
  headers: Record<string, string>;
} {
  const list = input.reasons.map((r) => `- ${r}`).join('\n');
  return {
    subject: replySubject(input.subject, 'Allegati non accettati / Attachments not accepted'),
    text: [
      'Gentile cliente, abbiamo ricevuto il suo messaggio, ma non abbiamo potuto accettare questi allegati:',
      list,
      'Accettiamo PDF, immagini (JPEG, PNG, GIF, WebP, HEIC), testo, CSV, Word e Excel, ciascuno entro il limite indicato. Il resto del messaggio è arrivato ai nostri operatori.',
      '',
      'Dear customer, we received your message, but could not accept these attachments:',
      list,
      'We accept PDF, images (JPEG, PNG, GIF, WebP, HEIC), text, CSV, Word and Excel files, each within the stated limit. The rest of your message has reached our team.',
    ].join('\n'),
    ...replyHeaders({ messageId: input.messageId, references: input.references }),
    headers: { 'Auto-Submitted': 'auto-replied' },
  };
}
