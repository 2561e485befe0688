import { createHash } from 'node:crypto';
import type { Channel } from '@omnigate/contracts';

export interface NotifyTarget {
  channel: Channel;
  address: string;
}

/** The customer's proven addresses: linked identities, and what the bank itself verified. */
export interface NotifyAddressBook {
  identities: ReadonlyArray<{ channel: string; address: string; status: string; createdAt: Date }>;
  bankPhone: string | null;
  bankEmail: string | null;
}

/** A notification goes to the app and by SMS; another channel only when one of them is missing or fails. */
export const PRIMARY_CHANNELS = ['inapp', 'sms'] as const satisfies readonly Channel[];
export const FALLBACK_CHANNELS = [
  'whatsapp',
  'telegram',
  'email',
] as const satisfies readonly Channel[];

/**
 * One address per channel the customer has, primary channels first. Only linked identities
 * count (never an unverified contact's); SMS prefers the phone the bank verified, email falls
 * back to the bank's verified email. Pure.
 */
export function notificationAddresses(book: NotifyAddressBook): NotifyTarget[] {
  const linked = (channel: Channel): string | null =>
    book.identities
      .filter((i) => i.channel === channel && i.status === 'linked')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]?.address ?? null;
  const addressOn = (channel: Channel): string | null => {
    if (channel === 'sms') return book.bankPhone ?? linked('sms');
    if (channel === 'email') return linked('email') ?? book.bankEmail;
    return linked(channel);
  };
  const out: NotifyTarget[] = [];
  for (const channel of [...PRIMARY_CHANNELS, ...FALLBACK_CHANNELS]) {
    const address = addressOn(channel);
    if (address) out.push({ channel, address });
  }
  return out;
}

/**
 * Where a notification goes first: every primary channel the customer has (and accepts), plus
 * one fallback channel at once when a primary one is missing. Pure.
 */
export function planNotification(allowed: readonly NotifyTarget[]): {
  primary: NotifyTarget[];
  fallback: NotifyTarget | null;
} {
  const primary = allowed.filter((t) => isPrimary(t.channel));
  const fallback =
    primary.length < PRIMARY_CHANNELS.length
      ? pickFallback(allowed, new Set(primary.map((t) => t.channel)))
      : null;
  return { primary, fallback };
}

/** The first fallback channel (WhatsApp, Telegram, email) not tried yet, or null. Pure. */
export function pickFallback(
  allowed: readonly NotifyTarget[],
  tried: ReadonlySet<string>,
): NotifyTarget | null {
  return allowed.find((t) => !isPrimary(t.channel) && !tried.has(t.channel)) ?? null;
}

function isPrimary(channel: Channel): boolean {
  return (PRIMARY_CHANNELS as readonly Channel[]).includes(channel);
}

/** How a notification's messages are found again: author `notify:<id>`, dedupe keys per channel. */
export const NotifyKeys = {
  author: (notificationId: string) => `notify:${notificationId}`,
  primary: (notificationId: string, channel: Channel) => `notify:${notificationId}:${channel}`,
  /** One key for the fallback, whatever its channel: the unique index makes it happen once. */
  fallback: (notificationId: string) => `notify:${notificationId}:fallback`,
};

/** The notification a stored message belongs to, or null for any other message. Pure. */
export function notificationIdOf(message: {
  authorKind: string;
  authorId: string | null;
}): string | null {
  if (message.authorKind !== 'system' || !message.authorId?.startsWith('notify:')) return null;
  return message.authorId.slice('notify:'.length) || null;
}

/** A stable notification id for what caused it (an action and its idempotency key). Pure. */
export function notificationIdFor(cause: string): string {
  return createHash('sha256').update(cause).digest('hex').slice(0, 32);
}
