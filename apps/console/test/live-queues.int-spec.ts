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
import { startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';
import { messageCreated } from './live-events.fixture';

const PW = { alice: 'alice-pw-8f2c91', sam: 'sam-password-77' };

function status(conversationId: string): ConversationEventV1 {
  return {
    type: CONVERSATION_EVENT_V1,
    version: 1,
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    conversationId,
    event: { kind: 'message.status', messageId: randomUUID(), state: 'delivered', error: null },
  };
}

describe('console: live events only for the queues of the session', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let publisher: BusPublisher;
  const sockets: Socket[] = [];
  const login = async (who: keyof typeof PW) => {
    const res = await h.call('POST', '/api/login', { body: { agentId: who, password: PW[who] } });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { token: ((await res.json()) as { token: string }).token, cookie };
  };
  const open = (opts: { token?: string; headers?: Record<string, string> }): Socket => {
    const s = io(`${h.url}/live`, {
      auth: opts.token ? { token: opts.token } : {},
      extraHeaders: opts.headers,
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
  const collect = (s: Socket) => {
    const got: ConversationEventV1[] = [];
    s.on('conversation.event', (e: ConversationEventV1) => got.push(e));
    return got;
  };
  const publish = (e: ConversationEventV1) =>
    publisher.publish(Subjects.conversationEvent(e.conversationId), ConversationEventV1Schema, e, {
      msgId: e.id,
    });

  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: `alice:${PW.alice},sam:${PW.sam}`,
      CONSOLE_AGENT_QUEUES: 'alice:general',
      CONSOLE_ROLES: 'sam:supervisor',
    });
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

  it("relays to an agent only their queues' events, masked; a supervisor gets all, unmasked", async () => {
    // The agent connects with the browser's cookie, the supervisor with the token.
    const alice = await connected(
      open({ headers: { cookie: (await login('alice')).cookie, origin: h.url } }),
    );
    const sam = await connected(open({ token: (await login('sam')).token }));
    const forAlice = collect(alice);
    const forSam = collect(sam);
    await h.app.app.get(NatsConnection).connection().flush();
    const inGeneral = randomUUID();
    const inFraud = randomUUID();
    const text = 'chiamatemi al +393331234567';
    await publish(messageCreated(inFraud, text, 'fraud'));
    await publish(messageCreated(inGeneral, text, 'general'));
    // A status names no queue: the console remembers it from the message before.
    await publish(status(inFraud));
    await publish(status(inGeneral));
    await pollUntil(() => forSam.length === 4 && forAlice.length === 2, {
      what: 'the events on both sockets',
    });
    expect(forAlice.map((e) => [e.conversationId, e.event.kind])).toEqual([
      [inGeneral, 'message.created'],
      [inGeneral, 'message.status'],
    ]);
    const aliceMessage = forAlice[0]!.event;
    expect(aliceMessage.kind === 'message.created' && aliceMessage.message.text).toBe(
      'chiamatemi al +39 ••• ••• 4567',
    );
    const samMessage = forSam.find((e) => e.conversationId === inGeneral)!.event;
    expect(samMessage.kind === 'message.created' && samMessage.message.text).toBe(text);
    expect(forSam.filter((e) => e.conversationId === inFraud)).toHaveLength(2);
  });

  it('tells the agents of the old queue when a conversation moves away, then stops', async () => {
    const alice = await connected(open({ token: (await login('alice')).token }));
    const got = collect(alice);
    await h.app.app.get(NatsConnection).connection().flush();
    const id = randomUUID();
    await publish(messageCreated(id, 'ciao', 'general'));
    await publish({
      type: CONVERSATION_EVENT_V1,
      version: 1,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      conversationId: id,
      event: {
        kind: 'routing.changed',
        queue: 'fraud',
        priority: 1,
        control: 'pending',
        assignedAgent: null,
        intent: null,
        reason: 'fraud_alert_linked',
      },
    });
    await publish(status(id));
    const marker = randomUUID();
    await publish(messageCreated(marker, 'dopo', 'general'));
    await pollUntil(() => got.some((e) => e.conversationId === marker), { what: 'the marker' });
    expect(got.map((e) => e.event.kind)).toEqual([
      'message.created',
      'routing.changed',
      'message.created',
    ]);
  });

  it('refuses the cookie from a page of another site', async () => {
    const { cookie } = await login('alice');
    const s = open({ headers: { cookie, origin: 'https://evil.example' } });
    const e = await new Promise<Error>((resolve, reject) => {
      s.once('connect', () => reject(new Error('connected cross-site')));
      s.once('connect_error', resolve);
    });
    expect(e.message).toBe('CONSOLE.UNAUTHORIZED');
  });
});
