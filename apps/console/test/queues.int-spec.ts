import { serveRequest } from '@omnigate/testing';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  ListQueuesResponseV1,
  SetAgentPresenceRequestV1,
  SetAgentPresenceResponseV1,
  SetControlRequestV1,
  SetControlResponseV1,
} from '@omnigate/contracts';
import { AppError, JsonLogger, KitModule } from '@omnigate/kit';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const CONV = randomUUID();
const TAKEN = randomUUID();

/**
 * Stand-in for the router's routing RPCs (the real rules are tested in
 * apps/router/test/routing.int-spec.ts): validates with the real contract schemas, records what
 * the console sent, answers with the router's codes.
 */
class RoutingRouterDouble {
  readonly presence: SetAgentPresenceRequestV1[] = [];
  readonly control: SetControlRequestV1[] = [];

  constructor(private readonly mod: TestingModule) {}

  start(): void {
    serveRequest(this.mod, RouterRequests.listQueues, () => this.queues());
    serveRequest(this.mod, RouterRequests.setAgentPresence, (r) => this.setPresence(r));
    serveRequest(this.mod, RouterRequests.setControl, (r) => this.setControl(r));
  }

  private queues(): Promise<ListQueuesResponseV1> {
    return Promise.resolve({
      queues: [
        {
          queue: 'fraud',
          priority: 1,
          waiting: 1,
          open: 2,
          oldestWaitingSince: '2026-11-23T10:00:00.000Z',
        },
        { queue: 'general', priority: 3, waiting: 0, open: 4, oldestWaitingSince: null },
      ],
    });
  }

  private setPresence(r: SetAgentPresenceRequestV1): Promise<SetAgentPresenceResponseV1> {
    this.presence.push(r);
    return Promise.resolve({
      agentId: r.agentId,
      available: r.available,
      skills: r.skills,
      maxConcurrent: r.maxConcurrent ?? 5,
      assigned: r.available ? [CONV] : [],
    });
  }

  private setControl(r: SetControlRequestV1): Promise<SetControlResponseV1> {
    this.control.push(r);
    if (r.conversationId === TAKEN && r.action !== 'take_over') {
      return Promise.reject(
        new AppError('ROUTER.CONTROL_CONFLICT', 'another agent is answering this conversation'),
      );
    }
    return Promise.resolve({
      conversationId: r.conversationId,
      queue: 'fraud',
      priority: 1,
      control: r.action === 'take_over' ? 'agent_active' : 'bot_active',
      assignedAgent: r.action === 'take_over' ? r.agentId : null,
      intent: 'fraud',
    });
  }
}

describe('console: queues, presence and who answers, through the router', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let router: RoutingRouterDouble;
  let alice: string;

  beforeAll(async () => {
    h = await startConsole();
    mod = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: h.nats.url, name: 'router-double' })],
    })
      .setLogger(new JsonLogger('router-double', 'warn'))
      .compile();
    await mod.init();
    router = new RoutingRouterDouble(mod);
    router.start();
    alice = await h.login('alice');
  });
  afterAll(async () => {
    await mod?.close();
    await h?.stop();
  });

  it('lists the queues with counts per priority', async () => {
    const res = await h.call('GET', '/api/queues', { token: alice });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ListQueuesResponseV1;
    expect(body.queues[0]).toMatchObject({ queue: 'fraud', priority: 1, waiting: 1 });
  });

  it("sets the logged-in agent's presence, never someone else's", async () => {
    const res = await h.call('PUT', '/api/agents/me/presence', {
      token: alice,
      body: { available: true, skills: ['fraud', 'disputes'], agentId: 'bob' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ agentId: 'alice', assigned: [CONV] });
    expect(router.presence.at(-1)).toEqual({
      agentId: 'alice',
      available: true,
      skills: ['fraud', 'disputes'],
    });
  });

  it('refuses an unknown queue with 400, without calling the router', async () => {
    const before = router.presence.length;
    const err = await errorOf(
      await h.call('PUT', '/api/agents/me/presence', {
        token: alice,
        body: { available: true, skills: ['vip'] },
      }),
    );
    expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(router.presence).toHaveLength(before);
  });

  it('takes a conversation over as the logged-in agent', async () => {
    const res = await h.call('POST', `/api/conversations/${CONV}/control`, {
      token: alice,
      body: { action: 'take_over' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ control: 'agent_active', assignedAgent: 'alice' });
    expect(router.control.at(-1)).toEqual({
      conversationId: CONV,
      agentId: 'alice',
      action: 'take_over',
    });
  });

  it("answers a conflict with 409 and the router's code", async () => {
    const err = await errorOf(
      await h.call('POST', `/api/conversations/${TAKEN}/control`, {
        token: alice,
        body: { action: 'release' },
      }),
    );
    expect(err).toMatchObject({ status: 409, code: 'ROUTER.CONTROL_CONFLICT' });
  });

  it('refuses an unknown action and an anonymous caller', async () => {
    const bad = await errorOf(
      await h.call('POST', `/api/conversations/${CONV}/control`, {
        token: alice,
        body: { action: 'steal' },
      }),
    );
    expect(bad).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    const anon = await h.call('GET', '/api/queues');
    expect(anon.status).toBe(401);
  });
});
