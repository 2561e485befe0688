import type { Socket } from 'socket.io-client';
import type { CustomerContextV1, MessageView } from '@omnigate/contracts';
import { setLogSink } from '@omnigate/kit';
import { containsPan, dumpStreams, pollUntil } from '@omnigate/testing';
import {
  WITHOUT_BOT,
  agentLogin,
  api,
  appToken,
  connect,
  json,
  liveConsole,
  startSystem,
} from './system.harness';
import type { System } from './system.harness';

const GIULIA = { phone: '+393471234567', appUserId: 'app-giulia', name: 'Giulia Rossi' };
const PAN = '4111 1111 1111 1111';

interface Timeline {
  conversation: {
    id: string;
    channels: string[];
    customer: { displayName: string; verified: boolean };
  };
  messages: MessageView[];
  statusHistory: Record<string, Array<{ state: string }>>;
}

interface GraphSent {
  id: string;
  to: string;
  type: string;
  request: { text?: { body?: string } };
}

/** A customer's WhatsApp message: the sandbox (as Meta) signs it with the app secret and POSTs it to the gateway. */
async function injectWhatsApp(
  sys: System,
  from: string,
  text: string,
  name = 'Giulia',
): Promise<{ wamid: string; status: number }> {
  const res = await fetch(`${sys.urls.sandbox}/sandbox/whatsapp/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, name, text }),
  });
  if (!res.ok) {
    throw new Error(`sandbox whatsapp inbound failed: ${res.status} ${await res.text()}`);
  }
  return json(res);
}

// database-incidental: WhatsApp's wiring across the apps (signed webhook, Graph API sends, the app
// after it); what the router stores and links is tested on both databases by its integration tests.

describe('issue 3: Giulia writes on WhatsApp (Cloud API), the agent answers there, she continues in the app', () => {
  let sys: System;
  const logs: string[] = [];
  let restoreSink: ReturnType<typeof setLogSink>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    restoreSink = setLogSink((line) => logs.push(line));
    sys = await startSystem({ env: { ...WITHOUT_BOT, LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await sys?.stop();
    setLogSink(restoreSink);
  });

  it('links her by her bank-verified phone, answers through the Graph API, and keeps one conversation', async () => {
    const token = await agentLogin(sys);
    const console_ = api(sys, token);
    const { created } = await liveConsole(sys, token, sockets);

    // 1. A signed Cloud API webhook from Giulia's number reaches the agent, linked to her record.
    const wa = await injectWhatsApp(sys, GIULIA.phone, `Ciao, la carta ${PAN} non funziona`);
    expect(wa.status).toBe(200);
    const first = await created('whatsapp');
    if (first.event.kind !== 'message.created') throw new Error('unexpected event');
    expect(first.event.conversation.customer).toMatchObject({
      displayName: GIULIA.name,
      verified: true,
    });
    expect(first.event.message.text).toMatch(/\[card visa \*\*\*\*1111 ref_[a-p]+\]/);
    const conversationId = first.conversationId;
    const context = await json<CustomerContextV1>(
      await console_.get(`/api/conversations/${conversationId}/context`),
    );
    expect(context.available).toBe(true);
    expect(context.customer.displayName).toBe(GIULIA.name);
    expect(context.cards.length).toBeGreaterThan(0);

    // 2. The agent replies (default: the channel she used last, WhatsApp): it goes out through the
    //    Graph API to the sandbox, and Meta's statuses come back into the timeline.
    const r1 = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Ciao Giulia, verifico subito la carta.',
    });
    expect(r1.status).toBe(201);
    const reply = (await json<{ message: MessageView }>(r1)).message;
    expect(reply.channel).toBe('whatsapp');
    const wire = await pollUntil(
      async () => {
        const list = await json<{ messages: GraphSent[] }>(
          await fetch(`${sys.urls.sandbox}/sandbox/whatsapp/messages`),
        );
        return list.messages.find(
          (m) => m.request.text?.body === 'Ciao Giulia, verifico subito la carta.',
        );
      },
      { what: 'the reply at the Graph API sandbox' },
    );
    expect(wire).toMatchObject({ to: GIULIA.phone.slice(1), type: 'text' });
    const read = await pollUntil(
      async () => {
        const t = await json<Timeline>(await console_.get(`/api/conversations/${conversationId}`));
        return t.messages.find((m) => m.id === reply.id)?.status === 'read' ? t : undefined;
      },
      { what: 'the WhatsApp reply to be read', timeoutMs: 15_000 },
    );
    const history = read.statusHistory[reply.id]!.map((h) => h.state);
    expect(history).toEqual(expect.arrayContaining(['sent', 'delivered', 'read']));

    // 3. She continues in the app: the same conversation.
    const app = await connect(sys.urls.inapp, await appToken(sys, GIULIA.appUserId));
    sockets.push(app);
    const ack = (await app
      .timeout(5000)
      .emitWithAck('message', { clientMsgId: 'wa-1', text: 'Vi scrivo ora dall’app' })) as {
      ok: boolean;
    };
    expect(ack.ok).toBe(true);
    const second = await created('inapp');
    expect(second.conversationId).toBe(conversationId);
    const timeline = await json<Timeline>(
      await console_.get(`/api/conversations/${conversationId}`),
    );
    expect(timeline.messages.map((m) => [m.channel, m.direction])).toEqual([
      ['whatsapp', 'inbound'],
      ['whatsapp', 'outbound'],
      ['inapp', 'inbound'],
    ]);
    expect([...timeline.conversation.channels].sort()).toEqual(['inapp', 'whatsapp']);

    // 4. The card number never reached the bus; no phone number or text in the logs.
    const onBus = await dumpStreams(sys.nats.url, ['MSG_IN', 'MSG_OUT', 'MSG_STATUS']);
    expect(onBus.filter((m) => containsPan(m, PAN))).toEqual([]);
    expect(logs.filter((l) => containsPan(l, PAN))).toEqual([]);
    expect(logs.filter((l) => l.includes('non funziona') || l.includes(GIULIA.phone))).toEqual([]);
  });
});
