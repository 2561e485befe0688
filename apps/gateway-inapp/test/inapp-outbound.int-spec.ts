import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  OUTBOUND_MESSAGE_V1,
  OutboundMessageV1Schema,
  Subjects,
  outboundMsgId,
} from '@omnigate/contracts';
import type { DeadLetterEntry } from '@omnigate/bus';
import type { DeliveryStatusV1, MessageView } from '@omnigate/contracts';
import { BusPublisher } from '@omnigate/bus';
import type { RunningHttpApp } from '@omnigate/kit';
import type { MessageRow } from '../../router/test/router-store';
import { pollUntil } from '@omnigate/testing';
import {
  SocketPool,
  appToken,
  appendOutbound,
  seedCustomer,
  startGateway,
  startInfra,
  streamMessages,
} from './inapp.harness';
import type { Infra } from './inapp.harness';

type Reply = { ok: boolean } & Record<string, unknown>;

describe('gateway-inapp: outbound to the app, delivery and read receipts', () => {
  let infra: Infra;
  let gw: RunningHttpApp;
  const pool = new SocketPool();

  beforeAll(async () => {
    infra = await startInfra({ router: true });
    gw = await startGateway(infra);
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await gw?.close();
    await infra?.dispose();
  });

  /** What the router does for an agent's reply: store it, then publish it on msg.out.v1.inapp. */
  async function reply(sub: string, conversationId: string, text: string): Promise<MessageRow> {
    const stored = (await appendOutbound(infra, conversationId, sub, text)).message;
    await gw.app.get(BusPublisher).publish(
      Subjects.outbound('inapp'),
      OutboundMessageV1Schema,
      {
        type: OUTBOUND_MESSAGE_V1,
        version: 1,
        id: randomUUID(),
        occurredAt: stored.createdAt.toISOString(),
        channel: 'inapp',
        conversationId,
        messageId: stored.id,
        seq: stored.seq,
        to: { address: sub },
        text,
        attachments: [],
        author: { kind: 'agent', id: 'agent-1' },
        purpose: 'service',
      },
      { msgId: outboundMsgId(stored.id) },
    );
    return stored;
  }

  async function statesOf(messageId: string): Promise<string[]> {
    const all = await streamMessages<DeliveryStatusV1>(
      infra,
      'MSG_STATUS',
      Subjects.status('inapp'),
    );
    return all.filter((s) => s.messageId === messageId).map((s) => s.state);
  }

  function collect(socket: Socket, ack: boolean): MessageView[] {
    const got: MessageView[] = [];
    socket.on('message', (m: MessageView, cb?: (r: unknown) => void) => {
      got.push(m);
      if (ack) cb?.({ ok: true });
    });
    return got;
  }

  it('pushes an outbound message to the connected socket with its seq, then publishes sent and delivered', async () => {
    const conv = (await seedCustomer(infra, 'user-out')).conversation;
    const socket = await pool.connect(gw.url, await appToken('user-out'));
    const got = collect(socket, true);
    const stored = await reply('user-out', conv.id, 'Ciao! / Hello!');
    const view = await pollUntil(() => got.find((m) => m.id === stored.id), {
      what: 'the push on the socket',
    });
    expect(view).toMatchObject({
      conversationId: conv.id,
      seq: stored.seq,
      direction: 'outbound',
      channel: 'inapp',
      text: 'Ciao! / Hello!',
    });
    await pollUntil(async () => (await statesOf(stored.id)).length === 2, {
      what: 'sent and delivered',
    });
    expect(await statesOf(stored.id)).toEqual(['sent', 'delivered']);
  });

  it('reaches every socket of the user (phone and tablet), and only theirs', async () => {
    const conv = (await seedCustomer(infra, 'user-two-devices')).conversation;
    const phone = collect(await pool.connect(gw.url, await appToken('user-two-devices')), true);
    const tablet = collect(await pool.connect(gw.url, await appToken('user-two-devices')), true);
    const stranger = await pool.connect(gw.url, await appToken('user-stranger'));
    const strangerGot = collect(stranger, true);
    const stored = await reply('user-two-devices', conv.id, 'Per tutti i dispositivi');
    await pollUntil(() => phone.length === 1 && tablet.length === 1, {
      what: 'the push on both devices',
    });
    await (stranger.timeout(5000).emitWithAck('resume', { lastSeq: 0 }) as Promise<Reply>);
    expect(strangerGot).toEqual([]);
    await pollUntil(async () => (await statesOf(stored.id)).includes('delivered'), {
      what: 'delivered',
    });
    expect(await statesOf(stored.id)).toEqual(['sent', 'delivered']);
  });

  it('counts as sent when no socket is connected, and the app gets it on resume then acks with a delivered watermark', async () => {
    const conv = (await seedCustomer(infra, 'user-offline')).conversation;
    const stored = await reply('user-offline', conv.id, 'Mentre eri offline');
    await pollUntil(async () => (await statesOf(stored.id)).includes('sent'), {
      what: 'sent without a socket',
    });
    const socket = await pool.connect(gw.url, await appToken('user-offline'));
    const page = (await socket.timeout(5000).emitWithAck('resume', { lastSeq: 1 })) as Reply & {
      messages: MessageView[];
    };
    expect(page.messages.map((m) => [m.id, m.seq])).toEqual([[stored.id, stored.seq]]);
    const ack = (await socket
      .timeout(5000)
      .emitWithAck('delivered', { upToSeq: stored.seq })) as Reply;
    expect(ack).toEqual({ ok: true, conversationId: conv.id, updated: 1 });
    expect(await statesOf(stored.id)).toEqual(['sent', 'delivered']);
  });

  it('publishes read for every outbound in-app message up to the watermark', async () => {
    const conv = (await seedCustomer(infra, 'user-read')).conversation;
    const socket = await pool.connect(gw.url, await appToken('user-read'));
    const got = collect(socket, false); // this app does not ack pushes: no 'delivered' from the push
    const a = await reply('user-read', conv.id, 'uno');
    const b = await reply('user-read', conv.id, 'due');
    const c = await reply('user-read', conv.id, 'tre');
    await pollUntil(() => got.length === 3, { what: 'three pushes' });
    const ack = (await socket.timeout(5000).emitWithAck('read', { upToSeq: b.seq })) as Reply;
    expect(ack).toEqual({ ok: true, conversationId: conv.id, updated: 2 });
    expect(await statesOf(a.id)).toEqual(['sent', 'read']);
    expect(await statesOf(b.id)).toEqual(['sent', 'read']);
    expect(await statesOf(c.id)).toEqual(['sent']);
    // Read twice: the same status ids, so JetStream keeps one of each.
    await socket.timeout(5000).emitWithAck('read', { upToSeq: b.seq });
    expect(await statesOf(a.id)).toEqual(['sent', 'read']);
  });

  it('answers a watermark from a user without a conversation with nothing to update', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-nobody'));
    expect(await socket.timeout(5000).emitWithAck('read', { upToSeq: 3 })).toEqual({
      ok: true,
      conversationId: null,
      updated: 0,
    });
    expect(await socket.timeout(5000).emitWithAck('delivered', { upToSeq: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INAPP.RECEIPT_INVALID' },
    });
  });

  it('dead-letters an outbound payload that is not an OutboundMessage v1', async () => {
    const id = randomUUID();
    await gw.app
      .get(BusPublisher)
      .publish(
        Subjects.outbound('inapp'),
        z.object({ bogus: z.string() }),
        { bogus: id },
        { msgId: `bogus:${id}` },
      );
    const dead = await pollUntil(
      async () =>
        (
          await streamMessages<DeadLetterEntry>(
            infra,
            'DLQ',
            Subjects.deadLetter('MSG_OUT', 'gateway-inapp-send'),
          )
        ).find((d) => d.payload.includes(id)),
      { what: 'the dead-letter entry' },
    );
    expect(dead.error.code).toBe('BUS.PAYLOAD_INVALID');
  });

  describe('with a second instance', () => {
    let other: RunningHttpApp;
    beforeAll(async () => {
      other = await startGateway(infra);
    });
    afterAll(async () => {
      await other?.close();
    });

    it('reaches a socket held by the other instance, whichever instance consumes the message', async () => {
      const conv = (await seedCustomer(infra, 'user-elsewhere')).conversation;
      const got = collect(await pool.connect(other.url, await appToken('user-elsewhere')), true);
      const sent: MessageRow[] = [];
      for (let i = 0; i < 6; i++) {
        sent.push(await reply('user-elsewhere', conv.id, `messaggio ${i}`));
      }
      await pollUntil(() => got.length === sent.length, {
        what: 'every push on the socket of the other instance',
      });
      expect(got.map((m) => m.seq).sort((x, y) => x - y)).toEqual(sent.map((m) => m.seq));
      for (const m of sent) {
        await pollUntil(async () => (await statesOf(m.id)).includes('delivered'), {
          what: 'delivered',
        });
      }
    });
  });
});
