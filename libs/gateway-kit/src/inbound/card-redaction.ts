import type { InboundMessageV1 } from '@omnigate/contracts';
import type { FoundCard, PanRedactor, RedactionResult, SensitiveDataKind } from '@omnigate/crypto';

/**
 * `meta` values that are identifiers a consumer matches byte for byte (a provider's ids, our own
 * references, codes we wrote): never rewritten. Every other `meta` value is free text as far as
 * redaction goes (an e-mail subject, a caption, anything a new gateway adds).
 */
export const IDENTIFIER_META_KEYS: ReadonlySet<string> = new Set([
  'provider',
  'type',
  'phoneNumberId',
  'replyTo',
  'chatId',
  'telegramMessageId',
  'languageCode',
  'clientMsgId',
  'numSegments',
  'messagingServiceSid',
  'keyword',
  'event',
  'emailAuth',
  'authWarning',
  'threadConversationId',
  'threadMatch',
  'originalRef',
  'refusedAttachments',
]);

/** The contract's limits (InboundMessageV1Schema): a reference is longer than the number. */
const MAX = { text: 65_536, displayName: 200, filename: 255, meta: 1024, redactions: 100 };

/**
 * The card data one mapping found: its `redact` is what a (synchronous, pure) mapper calls on
 * each text; the numbers stay in this object, for sealing, and never reach a message or a log.
 * Security codes, PINs and expiry dates are removed, never kept (PCI DSS 3.3.1): only their kinds
 * are counted.
 */
export class CardRedaction {
  readonly found: FoundCard[] = [];
  readonly removed: SensitiveDataKind[] = [];
  private readonly kept = new Set<string>();

  constructor(private readonly redactor: PanRedactor) {}

  readonly redact = (text: string): RedactionResult => {
    const r = this.redactor.redactWithCards(text);
    this.found.push(...r.cards);
    this.removed.push(...r.removed);
    return { text: r.text, redactions: r.redactions, removed: r.removed };
  };

  /**
   * For a text the message points to but does not carry (a stored attachment, an email's full
   * original, a display name): its cards are sealed with the message's even though its
   * `redactions` do not list them, so the vault knows every reference anything shows.
   */
  readonly redactKept = (text: string): string => {
    const r = this.redact(text);
    for (const x of r.redactions) this.kept.add(x.token);
    return r.text;
  };

  /**
   * Every free-text field of the envelope once more, whatever the mapper did: the text, the
   * sender's display name, the file names and the `meta` values that are not identifiers. A field
   * the mapper already redacted comes out unchanged (redaction is idempotent); one it forgot comes
   * out redacted, its cards sealed with the message's.
   */
  envelope(msg: InboundMessageV1): InboundMessageV1 {
    const text = this.redact(msg.text);
    for (const x of text.redactions) this.kept.add(x.token);
    const out: InboundMessageV1 = {
      ...msg,
      text: text.text.slice(0, MAX.text),
      redactions: [...msg.redactions, ...text.redactions].slice(0, MAX.redactions),
      attachments: msg.attachments.map((a) =>
        a.filename === undefined
          ? a
          : { ...a, filename: this.redactKept(a.filename).slice(0, MAX.filename) },
      ),
    };
    if (msg.from.displayName !== undefined) {
      out.from = {
        ...msg.from,
        displayName: this.redactKept(msg.from.displayName).slice(0, MAX.displayName),
      };
    }
    if (msg.meta) out.meta = this.metaOf(msg.meta);
    return out;
  }

  /** The cards to seal for `msg`: those it names, and those of the texts kept beside it. */
  toSeal(msg: Pick<InboundMessageV1, 'redactions'>): FoundCard[] {
    const named = new Set([...msg.redactions.map((r) => r.token), ...this.kept]);
    return this.found.filter((c) => named.has(c.token));
  }

  private metaOf(meta: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta)) {
      out[k] = IDENTIFIER_META_KEYS.has(k) ? v : this.redactKept(v).slice(0, MAX.meta);
    }
    return out;
  }
}
