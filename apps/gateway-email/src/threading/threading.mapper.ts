const ID = /<[^<>\s]{1,500}>/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_REFERENCES = 20;

/** Message-IDs in a header value as mailparser gives it (a string for one, an array for several). */
export function messageIdsOf(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const ids = text.match(ID) ?? [];
  if (ids.length === 0 && text.trim() && !/\s/.test(text.trim())) return [`<${text.trim()}>`];
  return [...new Set(ids)];
}

/**
 * The conversation id carried by a plus-address of ours (`support+<uuid>@our-domain`), or null.
 * `base` is our support address's local part.
 */
export function plusConversationId(
  addresses: string[],
  base: string,
  domains: string[],
): string | null {
  for (const raw of addresses) {
    const at = raw.lastIndexOf('@');
    if (at < 0) continue;
    const local = raw.slice(0, at).toLowerCase();
    const domain = raw.slice(at + 1).toLowerCase();
    if (!domains.includes(domain) || !local.startsWith(`${base.toLowerCase()}+`)) continue;
    const tag = local.slice(base.length + 1);
    if (UUID.test(tag)) return tag;
  }
  return null;
}

export interface ThreadCandidates {
  inReplyTo: string[];
  references: string[];
  recipients: string[];
}

/** Where a thread match came from: shown in meta so an operator can tell why mail landed where it did. */
export type ThreadMatch = 'in_reply_to' | 'references' | 'plus_address';

/**
 * The conversation an inbound reply belongs to: In-Reply-To first, then References (newest
 * first), then our plus-address. `known` maps Message-IDs we stored to their conversation. Pure.
 */
export function matchThread(
  c: ThreadCandidates,
  known: ReadonlyMap<string, string>,
  plus: { base: string; domains: string[] },
): { conversationId: string; by: ThreadMatch } | null {
  for (const id of c.inReplyTo) {
    const conv = known.get(id);
    if (conv) return { conversationId: conv, by: 'in_reply_to' };
  }
  for (const id of [...c.references].reverse()) {
    const conv = known.get(id);
    if (conv) return { conversationId: conv, by: 'references' };
  }
  const tagged = plusConversationId(c.recipients, plus.base, plus.domains);
  return tagged ? { conversationId: tagged, by: 'plus_address' } : null;
}

/** "Re: <subject>" once, whatever prefix the customer's client used (Re, R, AW, Fwd stays). */
export function replySubject(subject: string, fallback: string): string {
  const s = subject.trim();
  if (!s) return fallback;
  return /^(re|r|aw|sv)\s*:/i.test(s) ? s : `Re: ${s}`;
}

/** In-Reply-To and References of a reply to `parent` (RFC 5322 §3.6.4), References capped. */
export function replyHeaders(parent: { messageId: string; references: string[] }): {
  inReplyTo: string;
  references: string[];
} {
  const refs = [...parent.references.filter((r) => r !== parent.messageId), parent.messageId];
  // Keep the root and the newest ones when the chain is long.
  const capped =
    refs.length > MAX_REFERENCES ? [refs[0]!, ...refs.slice(-(MAX_REFERENCES - 1))] : refs;
  return { inReplyTo: parent.messageId, references: capped };
}
