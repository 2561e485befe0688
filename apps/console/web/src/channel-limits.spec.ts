import type { MessageView } from '@omnigate/contracts';
import {
  WHATSAPP_WINDOW_MS,
  channelLimit,
  defaultReplyChannel,
  smsLimit,
  whatsappLimit,
} from './channel-limits';

const NOW = Date.parse('2026-11-23T12:00:00Z');
function msg(over: Partial<MessageView>): MessageView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    conversationId: '00000000-0000-4000-8000-000000000002',
    seq: 1,
    direction: 'inbound',
    channel: 'sms',
    kind: 'text',
    text: 'hi',
    attachments: [],
    author: { kind: 'customer', id: null },
    status: null,
    statusError: null,
    clientMsgId: null,
    createdAt: new Date(NOW - 60_000).toISOString(),
    ...over,
  };
}

describe('channel limits shown in the reply box', () => {
  it('counts SMS segments: 160 GSM-7 chars in one, 161 in two, accents in UCS-2', () => {
    expect(smsLimit('a'.repeat(160)).summary).toBe('SMS: 160 chars, 1 segment, GSM-7');
    expect(smsLimit('a'.repeat(161)).summary).toBe('SMS: 161 chars, 2 segments, GSM-7');
    expect(smsLimit('ciao 😀').summary).toContain('UCS-2');
    expect(smsLimit('').summary).toBe('SMS: 0 chars, 0 segments, GSM-7');
  });

  it('keeps the WhatsApp window open 24 hours after the last WhatsApp message', () => {
    const recent = [
      msg({ channel: 'whatsapp', createdAt: new Date(NOW - 3_600_000).toISOString() }),
    ];
    expect(whatsappLimit(recent, NOW)).toEqual({
      summary: 'WhatsApp: 24-hour window open for 23 h 0 min',
      blocking: false,
    });
    const old = [
      msg({ channel: 'whatsapp', createdAt: new Date(NOW - WHATSAPP_WINDOW_MS - 1).toISOString() }),
    ];
    expect(whatsappLimit(old, NOW)).toMatchObject({ blocking: false, warn: true });
    expect(whatsappLimit(old, NOW).summary).toContain('window is closed');
    expect(whatsappLimit([msg({ channel: 'sms' })], NOW).summary).toContain('has not written here');
    // An agent's own WhatsApp message does not reopen the window.
    const agentOnly = [msg({ channel: 'whatsapp', direction: 'outbound' })];
    expect(whatsappLimit(agentOnly, NOW).warn).toBe(true);
  });

  it('refuses a reply over the router limit on every channel', () => {
    expect(channelLimit('telegram', 'x'.repeat(4097), [], NOW).blocking).toBe(true);
    expect(channelLimit('inapp', 'ok', [], NOW)).toEqual({
      summary: '2 / 4096 chars',
      blocking: false,
    });
  });

  it('defaults to the channel the customer wrote on last', () => {
    const messages = [
      msg({ channel: 'sms' }),
      msg({ channel: 'inapp' }),
      msg({ channel: 'email', direction: 'outbound' }),
    ];
    expect(defaultReplyChannel(messages, 'telegram')).toBe('inapp');
    expect(defaultReplyChannel([], 'telegram')).toBe('telegram');
  });
});
