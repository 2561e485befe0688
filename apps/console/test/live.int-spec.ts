import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { BusModule, BusPublisher, NatsConnection } from '@omnigate/bus';
import { CONVERSATION_EVENT_V1, ConversationEventV1Schema, Subjects } from '@omnigate/contracts';
import type { ConversationEventV1 } from '@omnigate/contracts';
import { JsonLogger, KitModule } from '@omnigate/kit';
import { pollUntil } from '@omnigate/testing';
import type { TypingSignalV1 } from '@omnigate/contracts';
import { TTL_MIN, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';
import { messageCreated } from './live-events.fixture';

// database-incidental: it relays bus events to sockets; the console sessions it logs in with are
// stored and checked on both databases by auth.int-spec.ts

interface ConnectError extends Error {
  data?: { code: string; message: string };
}

describe('console: live events over socket.io /live', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let publisher: BusPublisher;
  const sockets: Socket[] = [];

  const open = (token: string | undefined): Socket => {
    const s = io(`${h.url}/live`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(s);
    return s;
  };
  const connected = (s: Socket) =>
    new Promise<Socket>((resolve, reject) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  const refused = (s: Socket) =>
    new Promise<ConnectError>((resolve, reject) => {
      s.once('connect', () => reject(new Error('connected with a bad token')));
      s.once('connect_error', (e: ConnectError) => resolve(e));
    });
  /** The console's subscriptions are on the server before we publish (core NATS has no replay). */
  const flushConsole = () => h.app.app.get(NatsConnection).connection().flush();

  beforeAll(async () => {
    h = await startConsole();
    mod = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: h.nats.url, name: 'router-double' })],
    })
      .setLogger(new JsonLogger('router-double', 'warn'))
      .compile();
    await mod.init();
    publisher = mod.get(BusPublisher);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await mod?.close();
    await h?.stop();
  });
  afterEach(() => h.clock.reset());

  it('relays a ConversationEventV1 published on conv.v1.<id>.event to every connected agent, as is', async () => {
    const [alice, bob] = await Promise.all([
      connected(open(await h.login('alice'))),
      connected(open(await h.login('bob'))),
    ]);
    const got: Record<string, ConversationEventV1[]> = { alice: [], bob: [] };
    alice.on('conversation.event', (e: ConversationEventV1) => got.alice!.push(e));
    bob.on('conversation.event', (e: ConversationEventV1) => got.bob!.push(e));
    await flushConsole();
    const conversationId = randomUUID();
    const event = messageCreated(conversationId, 'La mia carta è bloccata');
    await publisher.publish(
      Subjects.conversationEvent(conversationId),
      ConversationEventV1Schema,
      event,
      { msgId: event.id },
    );
    await pollUntil(() => got.alice!.length === 1 && got.bob!.length === 1, {
      what: 'the event on both sockets',
    });
    expect(got.alice![0]).toEqual(event);
    expect(got.bob![0]).toEqual(event);
  });

  it('drops a payload that breaks the contract and keeps relaying the next one', async () => {
    const s = await connected(open(await h.login('alice')));
    const got: ConversationEventV1[] = [];
    s.on('conversation.event', (e: ConversationEventV1) => got.push(e));
    await flushConsole();
    const conversationId = randomUUID();
    publisher.publishEphemeral(Subjects.conversationEvent(conversationId), {
      type: 'nonsense',
      conversationId,
    });
    const status: ConversationEventV1 = {
      type: CONVERSATION_EVENT_V1,
      version: 1,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      conversationId,
      event: { kind: 'message.status', messageId: randomUUID(), state: 'delivered', error: null },
    };
    await publisher.publish(
      Subjects.conversationEvent(conversationId),
      ConversationEventV1Schema,
      status,
      { msgId: status.id },
    );
    await pollUntil(() => got.length > 0, { what: 'the valid event' });
    expect(got).toEqual([status]);
  });

  it("relays the customer's typing, not the agents' own", async () => {
    const s = await connected(open(await h.login('bob')));
    const got: TypingSignalV1[] = [];
    s.on('typing', (t: TypingSignalV1) => got.push(t));
    await flushConsole();
    const conversationId = randomUUID();
    publisher.publishEphemeral(Subjects.typing(conversationId), {
      conversationId,
      who: 'agent',
      state: 'start',
    });
    publisher.publishEphemeral(Subjects.typing(conversationId), {
      conversationId,
      who: 'customer',
      state: 'start',
    });
    await pollUntil(() => got.length > 0, { what: 'the customer typing signal' });
    expect(got).toEqual([{ conversationId, who: 'customer', state: 'start' }]);
  });

  it('refuses a connection without a token, with a garbage token and with a tampered one', async () => {
    const none = await refused(open(undefined));
    expect(none.message).toBe('CONSOLE.UNAUTHORIZED');
    expect(none.data?.code).toBe('CONSOLE.UNAUTHORIZED');
    const garbage = await refused(open('nope'));
    expect(garbage.message).toBe('CONSOLE.TOKEN_INVALID');
    const token = await h.login('alice');
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), sub: 'root' }),
    ).toString('base64url');
    const tampered = await refused(open(`${forged}.${mac}`));
    expect(tampered.data).toEqual({
      code: 'CONSOLE.TOKEN_INVALID',
      message: 'the session token is not valid: log in again',
    });
  });

  it('refuses an expired token', async () => {
    const token = await h.login('alice');
    h.clock.advance(TTL_MIN * 60_000 + 1000);
    const e = await refused(open(token));
    expect(e.message).toBe('CONSOLE.TOKEN_EXPIRED');
  });

  it('closes a connected socket when its session expires', async () => {
    // A token issued "in the past" so that it expires ~1 s from now.
    h.clock.advance(-(TTL_MIN * 60_000 - 1000));
    const token = await h.login('bob');
    h.clock.reset();
    const s = await connected(open(token));
    const expired: unknown[] = [];
    s.on('session.expired', (p: unknown) => expired.push(p));
    await pollUntil(() => s.disconnected, {
      what: 'the socket to be closed at expiry',
      timeoutMs: 5000,
    });
    expect(expired).toEqual([{ code: 'CONSOLE.TOKEN_EXPIRED' }]);
  });
});
