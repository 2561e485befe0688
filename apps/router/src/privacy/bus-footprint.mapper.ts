import { kvKey } from '@omnigate/bus';
import { channelOfSubject } from '@omnigate/contracts';
import type { ErasureTargets } from '@omnigate/store';

/**
 * What identifies one customer's messages on the bus, as sets for the sweep's per-message test.
 * Addresses are keyed `<channel>\n<address>`, email addresses lower-cased (mail providers do not
 * keep case).
 */
export interface BusFootprint {
  addresses: ReadonlySet<string>;
  /** The bare addresses, lower-cased, for text that names no channel (a non-JSON dead letter). */
  bareAddresses: readonly string[];
  conversationIds: ReadonlySet<string>;
  messageIds: ReadonlySet<string>;
  cardRefs: ReadonlySet<string>;
}

const norm = (channel: string, address: string): string =>
  `${channel}\n${channel === 'email' ? address.trim().toLowerCase() : address.trim()}`;

/** Pure. */
export function footprintOf(t: ErasureTargets): BusFootprint {
  return {
    addresses: new Set(t.addresses.map((a) => norm(a.channel, a.address))),
    bareAddresses: [...new Set(t.addresses.map((a) => a.address.trim().toLowerCase()))].filter(
      (a) => a.length >= 5,
    ),
    conversationIds: new Set(t.conversationIds),
    messageIds: new Set(t.messageIds),
    cardRefs: new Set(t.cardRefs),
  };
}

/**
 * Gateway KV entries keyed by her address in the clear, as (stream, subject) to purge: the
 * WhatsApp gateway's 24-hour window (`whatsapp_window`, key = her number). The opt-out lists
 * (`<channel>_vetoes`) stay: a suppression list must outlive the erasure. Pure.
 */
export function kvEntriesOf(t: ErasureTargets): Array<{ stream: string; subject: string }> {
  return t.addresses
    .filter((a) => a.channel === 'whatsapp')
    .map((a) => ({
      stream: `KV_${WHATSAPP_WINDOW_BUCKET}`,
      subject: `$KV.${WHATSAPP_WINDOW_BUCKET}.${kvKey(a.address.trim())}`,
    }));
}

/** The WhatsApp gateway's bucket (apps/gateway-whatsapp service-window.store.ts). */
export const WHATSAPP_WINDOW_BUCKET = 'whatsapp_window';

type Json = Record<string, unknown>;

const namesAny = (f: BusFootprint, text: string): boolean => {
  const lower = text.toLowerCase();
  return f.bareAddresses.some((a) => lower.includes(a));
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

function parse(text: string): Json | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Json) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a stored message carries the customer: her address on its channel, one of her
 * conversations or messages, one of her cards' references. Decided on the fields each contract
 * defines (a message that only quotes her number in another customer's text is not hers); a dead
 * letter is judged by the message it holds. Text that is not JSON is hers if it names one of her
 * addresses. Pure.
 */
export function carriesCustomer(
  f: BusFootprint,
  stream: string,
  subject: string,
  text: string,
): boolean {
  const m = parse(text);
  if (!m) return namesAny(f, text);
  const has = (channel: string | null | undefined, address: unknown) =>
    Boolean(channel) && typeof address === 'string' && f.addresses.has(norm(channel!, address));
  switch (stream) {
    case 'MSG_IN': {
      const channel = channelOfSubject(subject) ?? str(m.channel);
      return has(channel, obj(m.from).address) || has(channel, obj(m.auth).subject);
    }
    case 'MSG_OUT':
      return (
        f.conversationIds.has(str(m.conversationId) ?? '') ||
        f.messageIds.has(str(m.messageId) ?? '') ||
        has(channelOfSubject(subject) ?? str(m.channel), obj(m.to).address)
      );
    case 'MSG_STATUS':
      return f.messageIds.has(str(m.messageId) ?? '');
    case 'CONV_EVENTS':
      return f.conversationIds.has(str(m.conversationId) ?? '');
    case 'CARDS':
      return f.cardRefs.has(str(m.ref) ?? '');
    case 'CONSENT_EVENTS': {
      const addresses = Array.isArray(m.addresses) ? m.addresses : [];
      return addresses.some((a) => has(str(m.channel), a));
    }
    case 'DLQ': {
      const inner = str(m.payload);
      return (
        inner !== undefined && carriesCustomer(f, str(m.stream) ?? '', str(m.subject) ?? '', inner)
      );
    }
    default:
      // A stream this list does not know (an app's own dead letters): her addresses in the text.
      return namesAny(f, text);
  }
}
