import { byTime, fromTelegram, fromTwilio, fromWhatsApp } from './simulator-inbox.mapper';
import { addressProblem, personasOf } from './simulator-personas.mapper';
import { cloneSeed } from '../core-banking/core-banking.seed';

describe('simulator mappers', () => {
  it('gives every seeded customer an address per channel, Telegram ids included', () => {
    const [giulia, marco] = personasOf(cloneSeed().customers);
    expect(giulia!.addresses).toEqual({
      sms: '+393471234567',
      whatsapp: '+393471234567',
      telegram: '81234567',
      email: 'giulia.rossi@example.it',
      inapp: 'app-giulia',
    });
    expect(marco!.addresses.telegram).toBe('81234568');
  });

  it('says what is wrong with an address', () => {
    expect(addressProblem('sms', '+393471234567')).toBeNull();
    expect(addressProblem('whatsapp', '393471234567')).toMatch(/E.164/);
    expect(addressProblem('email', 'giulia@')).toMatch(/email address/);
    expect(addressProblem('inapp', 'app giulia')).toMatch(/app user id/);
  });

  it('keeps only what our gateway sent through Twilio (not the customer’s own SMS)', () => {
    const base = {
      sid: 'SM1',
      accountSid: 'AC1',
      from: '+390212345678',
      to: '+393471234567',
      body: 'Ciao',
      status: 'delivered' as const,
      numSegments: 1,
      numMedia: 0,
      messagingServiceSid: null,
      statusCallback: null,
      errorCode: null,
      errorMessage: null,
      dateCreated: new Date('2026-01-01T10:00:00Z'),
      dateUpdated: new Date('2026-01-01T10:00:00Z'),
      dateSent: null,
    };
    expect(fromTwilio({ ...base, direction: 'outbound-api' })).toMatchObject({
      channel: 'sms',
      text: 'Ciao',
      status: 'delivered',
    });
    expect(fromTwilio({ ...base, direction: 'inbound' })).toBeNull();
  });

  it('reads a WhatsApp text, template or media send, with its last status', () => {
    const sent = (type: string, request: Record<string, unknown>, statuses: string[] = []) =>
      fromWhatsApp(
        {
          id: 'wamid.1',
          phoneNumberId: '1',
          to: '393471234567',
          type,
          request,
          statuses,
          createdAt: '2026-01-01T10:00:00Z',
        },
        '+393471234567',
      );
    expect(sent('text', { text: { body: 'Ciao' } }, ['sent', 'delivered'])).toMatchObject({
      text: 'Ciao',
      status: 'delivered',
    });
    expect(sent('template', { template: { name: 'service_followup' } }).text).toBe(
      '[template service_followup]',
    );
    expect(sent('image', { image: { link: 'https://x/y.jpg' } })).toMatchObject({
      text: '[image] https://x/y.jpg',
      status: 'accepted',
    });
  });

  it('orders entries of every channel oldest first', () => {
    const tg = fromTelegram({
      messageId: 1,
      chatId: '5',
      method: 'sendMessage',
      text: 'b',
      date: 1_767_261_600,
    });
    const early = { ...tg, id: 'a', at: '2025-01-01T00:00:00.000Z', text: 'a' };
    expect(byTime([tg, early]).map((e) => e.text)).toEqual(['a', 'b']);
  });
});
