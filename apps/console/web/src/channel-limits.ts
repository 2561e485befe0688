import { SegmentedMessage } from 'sms-segments-calculator';
import type { Channel, MessageView } from '@omnigate/contracts';

/** The router refuses longer replies (SendReplyRequestV1). */
export const MAX_REPLY_CHARS = 4096;
/** WhatsApp Business accepts free text only within 24 hours of the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ChannelLimit {
  /** One line for the reply box, in the agent's terms. */
  summary: string;
  /** True when the router would refuse the reply as typed: sending is disabled. */
  blocking: boolean;
  /** True when the provider may refuse it (WhatsApp outside the window): shown, not enforced, since
   * a linked device (whatsapp-web.js) has no window and the gateway answers with a clear error. */
  warn?: boolean;
}

/** SMS: segments and encoding of `text` (GSM-7: 160/153 per segment, UCS-2: 70/67). */
export function smsLimit(text: string): ChannelLimit {
  const m = new SegmentedMessage(text);
  const encoding = m.encodingName === 'UCS-2' ? 'UCS-2 (emoji/accents outside GSM)' : 'GSM-7';
  const segments = text.length === 0 ? 0 : m.segmentsCount;
  return {
    summary: `SMS: ${text.length} chars, ${segments} segment${segments === 1 ? '' : 's'}, ${encoding}`,
    blocking: false,
  };
}

/** WhatsApp: open until 24 hours after the customer's last WhatsApp message. */
export function whatsappLimit(messages: readonly MessageView[], now: number): ChannelLimit {
  let last = 0;
  for (const m of messages) {
    if (m.direction === 'inbound' && m.channel === 'whatsapp') {
      last = Math.max(last, Date.parse(m.createdAt));
    }
  }
  if (last === 0) {
    return {
      summary:
        'WhatsApp: the customer has not written here; the Business API accepts only an approved template',
      blocking: false,
      warn: true,
    };
  }
  const left = last + WHATSAPP_WINDOW_MS - now;
  if (left <= 0) {
    return {
      summary:
        'WhatsApp: the 24-hour window is closed; the Business API accepts only an approved template',
      blocking: false,
      warn: true,
    };
  }
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  return {
    summary: `WhatsApp: 24-hour window open for ${hours} h ${minutes} min`,
    blocking: false,
  };
}

export function channelLimit(
  channel: Channel,
  text: string,
  messages: readonly MessageView[],
  now: number,
): ChannelLimit {
  const tooLong = text.length > MAX_REPLY_CHARS;
  let limit: ChannelLimit;
  switch (channel) {
    case 'sms':
      limit = smsLimit(text);
      break;
    case 'whatsapp':
      limit = whatsappLimit(messages, now);
      break;
    case 'telegram':
    case 'inapp':
    case 'email':
      limit = { summary: `${text.length} / ${MAX_REPLY_CHARS} chars`, blocking: false };
      break;
  }
  if (!tooLong) return limit;
  return {
    summary: `${limit.summary}; too long: at most ${MAX_REPLY_CHARS} chars`,
    blocking: true,
  };
}

/** Where a reply goes by default: the channel the customer wrote on last. */
export function defaultReplyChannel(messages: readonly MessageView[], fallback: Channel): Channel {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.direction === 'inbound') return m.channel;
  }
  return fallback;
}
