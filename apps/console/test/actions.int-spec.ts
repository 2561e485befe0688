import { serveRequest } from '@omnigate/testing';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  CardActionRequestV1,
  CardActionResponseV1,
  DecideApprovalRequestV1,
  DecideApprovalResponseV1,
  TicketActionRequestV1,
  TicketActionResponseV1,
} from '@omnigate/contracts';
import { AppError, JsonLogger, KitModule } from '@omnigate/kit';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const CONV = randomUUID();
const APPROVAL = randomUUID();
const TICKET = randomUUID();
const REFUSAL =
  "the fraud engine blocked this card; the customer's assurance is possession (needs strong): " +
  `ask a supervisor (another person) to approve request ${APPROVAL}`;

/**
 * Stand-in for the router's action RPCs (the real router is another app; its rules are tested in
 * apps/router/test/router-actions.int-spec.ts): validates with the real contract schemas, records
 * what the console sent, answers with the router's codes.
 */
class ActionsRouterDouble {
  readonly cards: CardActionRequestV1[] = [];
  readonly tickets: TicketActionRequestV1[] = [];
  readonly decisions: DecideApprovalRequestV1[] = [];

  constructor(private readonly mod: TestingModule) {}

  start(): void {
    serveRequest(this.mod, RouterRequests.cardAction, (r) => this.card(r));
    serveRequest(this.mod, RouterRequests.ticketAction, (r) => this.ticket(r));
    serveRequest(this.mod, RouterRequests.decideApproval, (r) => this.decide(r));
    serveRequest(this.mod, RouterRequests.listApprovals, () => Promise.resolve({ approvals: [] }));
  }

  private card(req: CardActionRequestV1): Promise<CardActionResponseV1> {
    this.cards.push(req);
    if (req.action === 'unblock') {
      return Promise.reject(new AppError('ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL', REFUSAL));
    }
    return Promise.resolve({
      card: {
        id: req.cardId,
        brand: 'visa',
        last4: '4821',
        status: 'blocked',
        blockReason: null,
        blockedBy: 'bank',
      },
      changed: true,
      basis: 'block',
      notificationId: null,
    });
  }

  private ticket(req: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    this.tickets.push(req);
    return Promise.resolve({
      ticket: {
        id: TICKET,
        conversationId: CONV,
        status: req.action === 'open' ? 'open' : 'closed',
      },
      notificationId: req.action === 'resolve' ? 'n-1' : null,
    });
  }

  private decide(req: DecideApprovalRequestV1): Promise<DecideApprovalResponseV1> {
    this.decisions.push(req);
    return Promise.reject(
      new AppError(
        'ACTION.SAME_PERSON',
        'you asked for this unblock yourself: another supervisor must approve it',
      ),
    );
  }
}

describe('console: card, ticket and approval actions through the router', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let router: ActionsRouterDouble;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    h = await startConsole({ CONSOLE_ROLES: 'bob:supervisor' });
    mod = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: h.nats.url, name: 'router-double' })],
    })
      .setLogger(new JsonLogger('router-double', 'warn'))
      .compile();
    await mod.init();
    router = new ActionsRouterDouble(mod);
    router.start();
    alice = await h.login('alice');
    bob = await h.login('bob');
  });
  afterAll(async () => {
    await mod?.close();
    await h?.stop();
  });

  const post = (token: string, path: string, body?: unknown) =>
    h.call('POST', path, { token, body });

  it('blocks a card as the token holder, an agent, with a generated idempotency key', async () => {
    const res = await post(alice, `/api/conversations/${CONV}/cards/card-1/block`, {
      reason: 'lost',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ changed: true, card: { status: 'blocked' } });
    expect(router.cards.at(-1)).toMatchObject({
      conversationId: CONV,
      cardId: 'card-1',
      action: 'block',
      actor: { id: 'alice', role: 'agent' },
      reason: 'lost',
      idempotencyKey: expect.any(String) as unknown,
    });
  });

  it("answers a refused fraud unblock with 403, the router's code and its reason", async () => {
    const res = await post(alice, `/api/conversations/${CONV}/cards/card-1/unblock`, {
      reason: 'customer called',
      idempotencyKey: 'click-1',
    });
    expect(await errorOf(res)).toEqual({
      status: 403,
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
      message: REFUSAL,
    });
    expect(router.cards.at(-1)?.idempotencyKey).toBe('click-1');
  });

  it.each([
    ['a missing reason', `/api/conversations/${CONV}/cards/card-1/unblock`, {}],
    ['a malformed conversation id', '/api/conversations/nope/cards/card-1/block', { reason: 'x' }],
    ['an empty subject', `/api/conversations/${CONV}/tickets`, { subject: ' ' }],
    ['a missing resolution', `/api/tickets/${TICKET}/resolve`, {}],
  ])(
    'refuses %s with 400 and the reason, without calling the router',
    async (_what, path, body) => {
      const before = router.cards.length + router.tickets.length;
      const err = await errorOf(await post(alice, path, body));
      expect(err.status).toBe(400);
      expect(err.code).toBe('REQUEST.INVALID');
      expect(err.message).not.toBe('');
      expect(router.cards.length + router.tickets.length).toBe(before);
    },
  );

  it('opens and resolves tickets through the router', async () => {
    const opened = await post(alice, `/api/conversations/${CONV}/tickets`, { subject: 'Rimborso' });
    expect(opened.status).toBe(201);
    expect(router.tickets.at(-1)).toMatchObject({
      action: 'open',
      conversationId: CONV,
      subject: 'Rimborso',
    });
    const resolved = await post(alice, `/api/tickets/${TICKET}/resolve`, { resolution: 'Fatto.' });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({
      ticket: { status: 'closed' },
      notificationId: 'n-1',
    });
    expect(router.tickets.at(-1)).toMatchObject({
      action: 'resolve',
      ticketId: TICKET,
      resolution: 'Fatto.',
    });
  });

  it('describes the action routes in the OpenAPI document, with their error codes', async () => {
    const doc = (await (await h.call('GET', '/docs-json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const unblock = doc.paths['/api/conversations/{id}/cards/{cardId}/unblock']?.post;
    expect(unblock?.responses['403']?.description).toContain('ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL');
    expect(doc.paths['/api/approvals/{id}/approve']?.post?.responses['403']?.description).toContain(
      'ACTION.SAME_PERSON',
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/conversations/{id}/cards/{cardId}/block',
        '/api/conversations/{id}/tickets',
        '/api/tickets/{id}/resolve',
        '/api/approvals',
        '/api/approvals/{id}/reject',
      ]) as unknown,
    );
  });

  it('lets only supervisors list and decide approvals, as supervisors', async () => {
    expect(
      (await errorOf(await h.call('GET', '/api/approvals?status=pending', { token: alice }))).code,
    ).toBe('CONSOLE.ROLE_FORBIDDEN');
    expect((await errorOf(await post(alice, `/api/approvals/${APPROVAL}/approve`))).status).toBe(
      403,
    );
    const list = await h.call('GET', '/api/approvals?status=pending', { token: bob });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ approvals: [] });
    expect(
      (await errorOf(await h.call('GET', '/api/approvals?status=maybe', { token: bob }))).status,
    ).toBe(400);
    const same = await errorOf(await post(bob, `/api/approvals/${APPROVAL}/approve`));
    expect(same).toMatchObject({ status: 403, code: 'ACTION.SAME_PERSON' });
    expect(router.decisions.at(-1)).toEqual({
      approvalId: APPROVAL,
      approve: true,
      actor: { id: 'bob', role: 'supervisor' },
    });
  });
});
