import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type {
  Channel,
  ConversationEventV1,
  ConversationSummary,
  CustomerContextV1,
  MessageView,
} from '@omnigate/contracts';

const DOTS = '•••';
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** 8-15 digits, optionally with a leading + and single spaces: phone-like, not dates or amounts. */
const PHONE = /(?<![\w+])\+?\d(?: ?\d){7,14}(?![\w])/g;

/** `+393331234567` → `+39 ••• ••• 4567`; too short to keep a tail → `•••`. Pure. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return DOTS;
  const parsed = phone.startsWith('+') ? parsePhoneNumberFromString(phone.replace(/ /g, '')) : null;
  const prefix = parsed ? `+${parsed.countryCallingCode} ` : '';
  return `${prefix}${DOTS} ${DOTS} ${digits.slice(-4)}`;
}

/** `giulia@example.it` → `g•••@example.it`: the domain stays (it says which provider). Pure. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return DOTS;
  return `${email[0]}${DOTS}${email.slice(at)}`;
}

/** A channel address as an agent may see it: phones and mails masked, ids cut to a tail. Pure. */
export function maskAddress(channel: Channel, address: string): string {
  // The router already masks the addresses in a context: masking again would erase the tail.
  if (address.includes('•')) return address;
  switch (channel) {
    case 'sms':
    case 'whatsapp':
      return maskPhone(address);
    case 'email':
      return maskEmail(address);
    case 'telegram':
    case 'inapp':
      return address.length > 4 ? `${DOTS}${address.slice(-3)}` : DOTS;
  }
}

/** Phone numbers and email addresses inside free text (a message, a fact) masked. Pure. */
export function maskText(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(PHONE, maskPhone);
}

export function maskMessage(m: MessageView): MessageView {
  return { ...m, text: maskText(m.text) };
}

export function maskSummary(s: ConversationSummary): ConversationSummary {
  return { ...s, lastMessagePreview: maskText(s.lastMessagePreview) };
}

/** The customer context for role agent: addresses and what the customer told us, masked. Pure. */
export function maskContext(c: CustomerContextV1): CustomerContextV1 {
  return {
    ...c,
    linkedChannels: c.linkedChannels.map((l) => ({
      ...l,
      address: maskAddress(l.channel, l.address),
    })),
    ...(c.providedFacts && {
      providedFacts: c.providedFacts.map((f) => ({ ...f, value: maskText(f.value) })),
    }),
  };
}

/** A live event for role agent: message text and the list preview masked. Pure. */
export function maskConversationEvent(e: ConversationEventV1): ConversationEventV1 {
  if (e.event.kind !== 'message.created') return e;
  return {
    ...e,
    event: {
      ...e.event,
      conversation: maskSummary(e.event.conversation),
      message: maskMessage(e.event.message),
    },
  };
}
