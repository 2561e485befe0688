export interface ParsedPart {
  contentType: string;
  content: Buffer;
}

export interface Bounce {
  /** The Message-ID of our mail that bounced. */
  originalMessageId: string;
  /** RFC 3464 Action: failed is final; delayed is not a failure. */
  action: 'failed' | 'delayed' | 'other';
  /** Enhanced status code (5.1.1) when given. */
  status: string | null;
  /** The remote server's words, with email addresses masked. */
  diagnostic: string | null;
}

const MESSAGE_ID_HEADER = /^Message-ID:\s*(<[^>\s]+>)/im;

/** Is this a delivery status notification (RFC 3464: multipart/report; report-type=delivery-status)? */
export function isDsn(contentType: string | undefined, reportType: string | undefined): boolean {
  return (
    contentType?.toLowerCase() === 'multipart/report' &&
    reportType?.toLowerCase() === 'delivery-status'
  );
}

function field(text: string, name: string): string | null {
  const m = new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, 'im').exec(text);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : null;
}

/**
 * A DSN's parts → what bounced and why; null when the original Message-ID cannot be found (the
 * bounce is then kept for an operator). `inReplyTo` is a fallback some MTAs set. Pure.
 */
export function bounceOf(
  parts: ParsedPart[],
  inReplyTo: string | null,
  /** The mail's text: mailparser inlines the message/delivery-status part there. */
  bodyText = '',
): Bounce | null {
  const report = parts.find((p) => p.contentType.toLowerCase() === 'message/delivery-status');
  const original = parts.find((p) =>
    ['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers'].includes(
      p.contentType.toLowerCase(),
    ),
  );
  const idMatch = original ? MESSAGE_ID_HEADER.exec(original.content.toString('utf8')) : null;
  const originalMessageId = idMatch?.[1] ?? inReplyTo;
  if (!originalMessageId) return null;
  const text = report?.content.toString('utf8') ?? bodyText;
  const action = (field(text, 'Action') ?? '').toLowerCase();
  const diagnostic = field(text, 'Diagnostic-Code')?.replace(/^smtp;\s*/i, '') ?? null;
  return {
    originalMessageId,
    action: action === 'failed' ? 'failed' : action === 'delayed' ? 'delayed' : 'other',
    status: field(text, 'Status'),
    diagnostic: diagnostic ? maskAddresses(diagnostic).slice(0, 300) : null,
  };
}

/** Remote servers quote the recipient's address: never in our logs or statuses. */
export function maskAddresses(text: string): string {
  return text.replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, '<address>');
}

/** The failed status's reason a person can act on. */
export function bounceReason(b: Bounce): string {
  const code = b.status ? ` (${b.status})` : '';
  return `The recipient's mail server returned the message${code}${b.diagnostic ? `: ${b.diagnostic}` : ''}`;
}
