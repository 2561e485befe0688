import type { CustomerContextV1, MessageView } from '@omnigate/contracts';
import { pollUntil } from '@omnigate/testing';
import { WITHOUT_BOT, agentLogin, api, injectSms, json, startSystem } from './system.harness';
import type { System } from './system.harness';

const GIULIA = { phone: '+393471234567', name: 'Giulia Rossi', telegramId: 81234567 };

interface Timeline {
  conversation: { id: string; channels: string[]; customer: { displayName: string } };
  messages: MessageView[];
  statusHistory: Record<string, Array<{ state: string }>>;
}

interface SentRecord {
  messageId: number;
  chatId: string;
  method: string;
  text?: string;
}

async function telegramInject(sys: System, body: unknown): Promise<{ status: number }> {
  const res = await fetch(`${sys.urls.sandbox}/sandbox/telegram/updates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`telegram inject failed: ${res.status} ${await res.text()}`);
  return json(res);
}

async function telegramSent(sys: System, chatId: string): Promise<SentRecord[]> {
  const res = await fetch(`${sys.urls.sandbox}/sandbox/telegram/sent?chatId=${chatId}`);
  return (await json<{ messages: SentRecord[] }>(res)).messages;
}

// database-incidental: Telegram's wiring across the apps (webhook, contact sharing, Bot API sends);
// what the router stores and links is tested on both databases by its integration tests.

describe('issue 3: a customer links Telegram by sharing her contact, then talks to an agent', () => {
  let sys: System;
  let giuliaConversation = '';

  beforeAll(async () => {
    sys = await startSystem({ env: WITHOUT_BOT });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('shares her contact, writes, gets the agent’s reply on Telegram, and SMS joins the same conversation', async () => {
    const token = await agentLogin(sys);
    const console_ = api(sys, token);
    const from = { id: GIULIA.telegramId, firstName: 'Giulia', languageCode: 'it' };
    const chatId = String(GIULIA.telegramId);

    // 1. /start: the bot asks for the contact (it + en), with Telegram's share-contact button.
    expect((await telegramInject(sys, { from, text: '/start' })).status).toBe(200);
    const [prompt] = await pollUntil(
      async () => {
        const sent = await telegramSent(sys, chatId);
        return sent.length > 0 ? sent : undefined;
      },
      { what: 'the contact prompt' },
    );
    expect(prompt!.text).toMatch(/condividi/i);

    // 2. She shares her OWN contact (Telegram verified that phone): the router links her
    //    Telegram id to the bank customer with that phone.
    expect(
      (await telegramInject(sys, { from, contact: { phoneNumber: '393471234567' } })).status,
    ).toBe(200);

    // 3. She writes: the message is in Giulia's conversation, with her name and her context.
    expect((await telegramInject(sys, { from, text: 'la mia carta è bloccata' })).status).toBe(200);
    const conversationId = await pollUntil(
      async () => {
        const list = await json<Array<{ id: string; channels: string[] }>>(
          await console_.get('/api/conversations'),
        );
        return list.find((c) => c.channels.includes('telegram'))?.id;
      },
      { what: 'a conversation with a telegram message', timeoutMs: 15_000 },
    );
    const timeline = await pollUntil(
      async () => {
        const t = await json<Timeline>(await console_.get(`/api/conversations/${conversationId}`));
        return t.messages.some((m) => m.text === 'la mia carta è bloccata') ? t : undefined;
      },
      { what: 'the telegram message in the timeline' },
    );
    expect(timeline.conversation.customer.displayName).toBe(GIULIA.name);
    const context = await json<CustomerContextV1>(
      await console_.get(`/api/conversations/${conversationId}/context`),
    );
    expect(context.customer).toMatchObject({ displayName: GIULIA.name, verified: true });
    expect(context.linkedChannels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'telegram', assurance: 'possession' }),
      ]),
    );
    expect(context.cards.length).toBeGreaterThan(0);

    // 4. The agent answers on Telegram: through telegraf to the sandbox, status sent in the timeline.
    const r = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Ciao Giulia, verifico subito la carta.',
      channel: 'telegram',
    });
    expect(r.status).toBe(201);
    const reply = (await json<{ message: MessageView }>(r)).message;
    const wire = await pollUntil(
      async () =>
        (await telegramSent(sys, chatId)).find(
          (m) => m.text === 'Ciao Giulia, verifico subito la carta.',
        ),
      { what: 'the reply at the Telegram sandbox' },
    );
    expect(wire.method).toBe('sendMessage');
    const sent = await pollUntil(
      async () => {
        const t = await json<Timeline>(await console_.get(`/api/conversations/${conversationId}`));
        return t.messages.find((m) => m.id === reply.id && m.status === 'sent') ? t : undefined;
      },
      { what: 'the sent status of the Telegram reply', timeoutMs: 15_000 },
    );
    expect(sent.statusHistory[reply.id]!.map((h) => h.state)).toContain('sent');

    // 5. The same customer writes by SMS: the same conversation.
    expect((await injectSms(sys, GIULIA.phone, 'Vi scrivo anche per SMS')).status).toBe(200);
    const both = await pollUntil(
      async () => {
        const t = await json<Timeline>(await console_.get(`/api/conversations/${conversationId}`));
        return t.messages.some((m) => m.channel === 'sms') ? t : undefined;
      },
      { what: 'the SMS in the same conversation', timeoutMs: 15_000 },
    );
    expect([...both.conversation.channels].sort()).toEqual(['sms', 'telegram']);
    const list = await json<Array<{ id: string }>>(await console_.get('/api/conversations'));
    expect(list).toHaveLength(1);
    giuliaConversation = conversationId;
  });

  it('an unknown Telegram user who wrote first is linked once she shares her own contact', async () => {
    const console_ = api(sys, await agentLogin(sys));
    // A second Telegram account of Giulia's (a new phone, say) writes before proving anything.
    const from = { id: 81234999, firstName: 'G.' };
    await telegramInject(sys, { from, text: 'sono sempre io' });
    const contactConv = await pollUntil(
      async () => {
        const list = await json<Array<{ id: string; customer: { displayName: string | null } }>>(
          await console_.get('/api/conversations'),
        );
        return list.find((c) => c.id !== giuliaConversation);
      },
      { what: 'the unverified contact’s own conversation' },
    );
    expect(contactConv.customer.displayName).not.toBe(GIULIA.name);
    // Someone else's contact proves nothing: still the contact's conversation.
    await telegramInject(sys, {
      from,
      contact: { phoneNumber: '393471234567', userId: GIULIA.telegramId },
    });
    // Her own contact: the address is linked to Giulia, and what she writes next joins Giulia's conversation.
    await telegramInject(sys, { from, contact: { phoneNumber: '+393471234567' } });
    await telegramInject(sys, { from, text: 'ora mi riconoscete?' });
    await pollUntil(
      async () => {
        const t = await json<Timeline>(
          await console_.get(`/api/conversations/${giuliaConversation}`),
        );
        return t.messages.some((m) => m.text === 'ora mi riconoscete?') || undefined;
      },
      { what: 'the message after the contact in Giulia’s conversation', timeoutMs: 15_000 },
    );
    const before = await json<Timeline>(await console_.get(`/api/conversations/${contactConv.id}`));
    expect(before.messages.map((m) => m.text)).toEqual(['sono sempre io']);
  });
});
