import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { AssuranceLevelSchema } from '@omnigate/contracts';
import type {
  AssuranceLevel,
  Channel,
  CustomerContextV1,
  TicketClockView,
} from '@omnigate/contracts';
import type { ChannelIdentityRow, TicketRow } from '@omnigate/store';
import type { CoreCard, CoreTransaction } from '../core-banking/core-banking.port';
import { asChannel } from '../events/conversation-event.mapper';

const DOTS = '•••••';

/**
 * An address as an agent may see it: enough to tell channels apart, not enough to copy.
 * '+393471234567' → '+39•••••4567'; 'giulia.rossi@example.it' → 'g•••••@example.it'. Pure.
 */
export function maskAddress(channel: Channel, address: string): string {
  if (channel === 'email') {
    const at = address.lastIndexOf('@');
    return at > 0 ? `${address[0]}${DOTS}${address.slice(at)}` : DOTS;
  }
  const phone = address.startsWith('+') ? parsePhoneNumberFromString(address) : undefined;
  if (phone) return `+${phone.countryCallingCode}${DOTS}${address.slice(-4)}`;
  return address.length > 6 ? `${address.slice(0, 2)}${DOTS}${address.slice(-2)}` : DOTS;
}

export function toLinkedChannels(
  identities: ChannelIdentityRow[],
): CustomerContextV1['linkedChannels'] {
  return identities.map((i) => {
    const channel = asChannel(i.channel);
    return {
      channel,
      address: maskAddress(channel, i.address),
      assurance: assuranceOf(i.assurance),
      linkMethod: i.linkMethod,
      identityId: i.id,
    };
  });
}

function assuranceOf(value: string): AssuranceLevel {
  const parsed = AssuranceLevelSchema.safeParse(value);
  return parsed.success ? parsed.data : 'none';
}

/** A card as bot, agent and console see it (no PAN, ever: core banking gives last four only). Pure. */
export function toCardView(c: CoreCard): CustomerContextV1['cards'][number] {
  return {
    id: c.id,
    brand: c.brand,
    last4: c.last4,
    status: c.status,
    blockReason: c.blockReason,
    blockedBy: c.blockedBy,
  };
}

export function toCardViews(cards: CoreCard[]): CustomerContextV1['cards'] {
  return cards.map(toCardView);
}

export function toTransactionViews(
  txs: CoreTransaction[],
): CustomerContextV1['recentTransactions'] {
  return txs.map((t) => ({
    id: t.id,
    at: t.at,
    amountMinor: t.amountMinor,
    currency: t.currency,
    merchant: t.merchant,
    status: t.status,
    cardId: t.cardId,
  }));
}

/**
 * With each ticket's kind, regulatory clock (`clockOf`: null when it runs none) and a card
 * dispute's scheme clock (`schemeClockOf`: null when it names no scheme).
 */
export function toOpenTickets(
  rows: TicketRow[],
  clockOf: (t: TicketRow) => TicketClockView | null,
  schemeClockOf: (t: TicketRow) => TicketClockView | null = () => null,
): CustomerContextV1['openTickets'] {
  return rows.map((t) => ({
    id: t.id,
    subject: t.subject,
    status: t.status,
    kind: t.kind,
    jurisdiction: t.jurisdiction,
    clock: clockOf(t),
    cardScheme: t.cardScheme,
    schemeReason: t.schemeReason,
    schemeClock: schemeClockOf(t),
  }));
}
