import type { Socket } from 'socket.io-client';
import type { MessageView } from '@omnigate/contracts';
import { setLogSink } from '@omnigate/kit';
import { containsPan, dumpDatabase, dumpStreams, pollUntil } from '@omnigate/testing';
import {
  WITHOUT_BOT,
  agentLogin,
  api,
  appToken,
  connect,
  injectSms,
  json,
  liveConsole,
  startSystem,
} from './system.harness';
import type { System } from './system.harness';

// database-incidental: a flow across processes; keeping one conversation per customer across
// channels is SQL that routing.int-spec.ts and router-inbound.int-spec.ts run on both databases

const GIULIA = { phone: '+393471234567', appUserId: 'app-giulia', name: 'Giulia Rossi' };
const PAN = '4111 1111 1111 1111';

interface Timeline {
  conversation: { id: string; channels: string[]; customer: { displayName: string } };
  messages: MessageView[];
  statusHistory: Record<string, Array<{ state: string }>>;
}

describe('the story of issue 2: SMS, then the app, one conversation, the agent answers on both', () => {
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

  it('carries the customer across channels and the agent’s replies back out', async () => {
    const token = await agentLogin(sys);
    const console_ = api(sys, token);
    const { events, created } = await liveConsole(sys, token, sockets);

    // 1. A customer known to core banking sends an SMS (signed by the sandbox as Twilio signs it).
    const sms = await injectSms(
      sys,
      GIULIA.phone,
      `Buongiorno, la mia carta ${PAN} risulta bloccata`,
    );
    expect(sms.status).toBe(200);
    const first = await created('sms');
    if (first.event.kind !== 'message.created') throw new Error('unexpected event');
    expect(first.event.conversation.customer).toMatchObject({
      displayName: GIULIA.name,
      verified: true,
    });
    expect(first.event.message.text).toMatch(/\[card visa \*\*\*\*1111 ref_[a-p]+\]/);
    const conversationId = first.conversationId;

    // 2. She continues in the app: same conversation.
    const app = await connect(sys.urls.inapp, await appToken(sys, GIULIA.appUserId));
    sockets.push(app);
    const pushed: MessageView[] = [];
    app.on('message', (m: MessageView, ack?: () => void) => {
      pushed.push(m);
      ack?.();
    });
    const ack = (await app
      .timeout(5000)
      .emitWithAck('message', { clientMsgId: 'c-1', text: 'Vi scrivo anche dall’app' })) as {
      ok: boolean;
    };
    expect(ack.ok).toBe(true);
    const second = await created('inapp');
    expect(second.conversationId).toBe(conversationId);

    // 3. The agent sees both messages in ONE conversation, each with its channel.
    const timeline = await json<Timeline>(
      await console_.get(`/api/conversations/${conversationId}`),
    );
    expect(timeline.conversation.customer.displayName).toBe(GIULIA.name);
    expect(timeline.messages.map((m) => [m.seq, m.channel, m.direction])).toEqual([
      [1, 'sms', 'inbound'],
      [2, 'inapp', 'inbound'],
    ]);
    expect([...timeline.conversation.channels].sort()).toEqual(['inapp', 'sms']);

    // 4. The agent replies: by default on the channel used last (the app), and the socket gets it with its seq.
    const r1 = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Ciao Giulia, controllo subito la carta.',
    });
    expect(r1.status).toBe(201);
    const reply1 = (await json<{ message: MessageView }>(r1)).message;
    expect(reply1.channel).toBe('inapp');
    const onApp = await pollUntil(() => pushed.find((m) => m.id === reply1.id), {
      what: 'the reply on the app socket',
    });
    expect(onApp).toMatchObject({
      seq: 3,
      conversationId,
      text: 'Ciao Giulia, controllo subito la carta.',
    });

    // 5. A reply sent to SMS reaches the sandbox through the twilio SDK; its status goes queued → sent → delivered.
    const r2 = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Le confermiamo anche via SMS.',
      channel: 'sms',
    });
    expect(r2.status).toBe(201);
    const reply2 = (await json<{ message: MessageView }>(r2)).message;
    const sid = sys.secrets.twilioAccountSid;
    const auth = 'Basic ' + Buffer.from(`${sid}:${sys.secrets.twilioAuthToken}`).toString('base64');
    const wire = await pollUntil(
      async () => {
        const list = await json<{ messages: Array<{ to: string; from: string; body: string }> }>(
          await fetch(`${sys.urls.sandbox}/2010-04-01/Accounts/${sid}/Messages.json`, {
            headers: { authorization: auth },
          }),
        );
        return list.messages.find((m) => m.body === 'Le confermiamo anche via SMS.');
      },
      { what: 'the SMS at the Twilio sandbox' },
    );
    expect(wire).toMatchObject({ to: GIULIA.phone, from: sys.ourNumber });
    const delivered = await pollUntil(
      async () => {
        const t = await json<Timeline>(await console_.get(`/api/conversations/${conversationId}`));
        const m = t.messages.find((x) => x.id === reply2.id);
        return m?.status === 'delivered' ? t : undefined;
      },
      { what: 'the SMS reply to be delivered', timeoutMs: 15_000 },
    );
    expect(delivered.statusHistory[reply2.id]!.map((h) => h.state)).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);
    expect(delivered.messages.map((m) => m.channel)).toEqual(['sms', 'inapp', 'inapp', 'sms']);
    await pollUntil(
      () =>
        events.some(
          (e) =>
            e.event.kind === 'message.status' &&
            e.event.messageId === reply2.id &&
            e.event.state === 'delivered',
        ),
      {
        what: 'the delivered status on the live socket',
      },
    );

    // 6. The card number was never on the bus, in the database or in the logs.
    const onBus = await dumpStreams(sys.nats.url, [
      'MSG_IN',
      'MSG_OUT',
      'MSG_STATUS',
      'CONV_EVENTS',
      'DLQ',
    ]);
    expect(onBus.length).toBeGreaterThan(5);
    expect(onBus.filter((m) => containsPan(m, PAN))).toEqual([]);
    expect(containsPan(await dumpDatabase(sys.db.config), PAN)).toBe(false);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => containsPan(l, PAN))).toEqual([]);
    // ...nor any message body or phone number in the logs.
    expect(logs.filter((l) => l.includes('risulta bloccata') || l.includes(GIULIA.phone))).toEqual(
      [],
    );
  });
});
