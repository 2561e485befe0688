import { RouterRequests } from '@omnigate/contracts';
import type { CustomerContextV1, TicketActionResponseV1 } from '@omnigate/contracts';
import { TicketsRepository } from '@omnigate/store';
import { metricsUrl, pollUntil } from '@omnigate/testing';
// Test-only: the real router on the same NATS and database, so the test covers console → bus →
// router → tickets table → context. Production code never imports another app.
import { inbound, startRouterSystem } from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { TicketClocksService } from '../../router/src/clocks/ticket-clocks.service';
import { clockRuleFor, clockView, dueOf } from '../../router/src/clocks/regulatory-clock.rule';
import { schemeDueOf, schemeLimitFor } from '../../router/src/clocks/scheme-dispute.rule';
import { localDateOf } from '../../router/src/clocks/business-calendar.rule';
import { errorOf, startConsoleBeside } from './console.harness';
import type { ConsoleBeside } from './console.harness';

const AGENTS = { alice: 'alice-pw-8f2c91' };
const DAY_MS = 86_400_000;

describe('console: regulatory clocks on tickets, through the real router and database', () => {
  let sys: RouterSystem;
  let console: ConsoleBeside;
  let alice: string;
  let conversationId: string;
  let customerId: string;
  const call = (method: string, path: string, body?: unknown) =>
    console.call(alice, method, path, body);
  const openTicket = async (body: Record<string, unknown>) => {
    const res = await call('POST', `/api/conversations/${conversationId}/tickets`, body);
    expect(res.status).toBe(201);
    return ((await res.json()) as TicketActionResponseV1).ticket;
  };
  const contextTicket = async (id: string) => {
    const res = await call('GET', `/api/conversations/${conversationId}/context`);
    const ctx = (await res.json()) as CustomerContextV1;
    return ctx.openTickets.find((t) => t.id === id)!;
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${metricsUrl(sys.router)}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith(name));
  };

  beforeAll(async () => {
    // No timer: the test runs the sweep itself.
    sys = await startRouterSystem({ CLOCK_SWEEP_INTERVAL_MS: '0' });
    console = await startConsoleBeside(sys, AGENTS);
    alice = await console.login('alice');
    await sys.sendInbound(inbound({ from: { address: '+393471234567' }, text: 'reclamo' }));
    const created = await pollUntil(
      () =>
        sys.events
          .map((e) => e.event)
          .find((e) => e.kind === 'message.created' && e.message.text === 'reclamo'),
      { what: 'the stored SMS' },
    );
    if (created.kind !== 'message.created') throw new Error('unreachable');
    conversationId = created.conversation.id;
    customerId = (await sys.rpc.request(RouterRequests.getContext, { conversationId })).customer.id;
  });
  afterAll(async () => {
    await console?.app.close();
    await sys?.close();
  });

  it('opens an Italian complaint with its 15-business-day deadline and shows the time left', async () => {
    const before = new Date();
    const ticket = await openTicket({ subject: 'Bonifico non arrivato', kind: 'complaint' });
    const after = new Date();
    const rule = clockRuleFor('complaint', 'IT', null)!;
    const due = (at: Date) =>
      dueOf({
        rule,
        jurisdiction: 'IT',
        openedAt: at,
        holdingReplyAt: null,
        resolvedAt: null,
      }).dueAt.toISOString();
    expect(ticket).toMatchObject({ kind: 'complaint', jurisdiction: 'IT', status: 'open' });
    expect(ticket.clock).toMatchObject({ rule: 'psd2_art101_complaint', state: 'on_track' });
    // Opened between `before` and `after`: the same day unless midnight in Rome fell between.
    expect([due(before), due(after)]).toContain(ticket.clock!.dueAt);
    const stored = await sys.router.app.get(TicketsRepository).get(ticket.id);
    expect(stored?.dueAt?.toISOString()).toBe(ticket.clock!.dueAt);

    const shown = await contextTicket(ticket.id);
    expect(shown.clock?.dueAt).toBe(ticket.clock!.dueAt);
    const left = Date.parse(ticket.clock!.dueAt) - Date.now();
    expect(shown.clock!.msLeft).toBeGreaterThan(left - 60_000);
    expect(shown.clock!.msLeft).toBeLessThanOrEqual(left + 60_000);
    expect(shown.clock!.businessDaysLeft).toBeGreaterThanOrEqual(14);

    // The holding reply extends it to 35 business days, once.
    const path = `/api/tickets/${ticket.id}/holding-reply`;
    const res = await call('POST', path, { conversationId });
    expect(res.status).toBe(200);
    const extended = ((await res.json()) as TicketActionResponseV1).ticket.clock!;
    expect(extended).toMatchObject({ extended: true, extendableTo: null });
    expect(extended.dueAt).toBe(ticket.clock!.extendableTo);
    expect(await errorOf(await call('POST', path, { conversationId }))).toMatchObject({
      status: 409,
      code: 'ACTION.TICKET_CONFLICT',
    });
  });

  it('opens a US card dispute under Reg E and refuses a dispute without its type', async () => {
    const untyped = await call('POST', `/api/conversations/${conversationId}/tickets`, {
      subject: 'Addebito sconosciuto',
      kind: 'card_dispute',
    });
    expect((await errorOf(untyped)).status).toBe(400);
    const ticket = await openTicket({
      subject: 'POS charge twice',
      kind: 'card_dispute',
      disputeType: 'pos_debit',
      jurisdiction: 'US',
    });
    expect(ticket.clock).toMatchObject({ rule: 'reg_e_error', jurisdiction: 'US' });
    // 10 business days now, 90 calendar days with a provisional credit.
    const toExtended = Date.parse(ticket.clock!.extendableTo!) - Date.now();
    expect(toExtended).toBeGreaterThan(89 * DAY_MS);
    expect(toExtended).toBeLessThan(91 * DAY_MS);
    const other = await openTicket({ subject: 'Cambio indirizzo' });
    expect(other).toMatchObject({ kind: 'other', clock: null });
  });

  it('counts a breach once per ticket however many sweeps run, and the clocks at risk', async () => {
    const tickets = sys.router.app.get(TicketsRepository);
    const clocks = sys.router.app.get(TicketClocksService);
    const rule = clockRuleFor('complaint', 'IT', null)!;
    const openPast = async (daysAgo: number) => {
      const openedAt = new Date(Date.now() - daysAgo * DAY_MS);
      const input = { rule, jurisdiction: 'IT' as const, openedAt, holdingReplyAt: null };
      return tickets.open({
        customerId,
        conversationId,
        subject: 'vecchio reclamo',
        kind: 'complaint',
        openedAt,
        dueAt: dueOf({ ...input, resolvedAt: null }).dueAt,
      });
    };
    const late = await openPast(40);
    // The first day back whose clock is at risk today (1 or 2 business days left).
    const daysAgo = [18, 19, 20, 21, 22, 23, 24, 25].find(
      (d) =>
        clockView(
          {
            rule,
            jurisdiction: 'IT',
            openedAt: new Date(Date.now() - d * DAY_MS),
            holdingReplyAt: null,
            resolvedAt: null,
          },
          new Date(),
          2,
        ).state === 'at_risk',
    )!;
    await openPast(daysAgo);

    expect(await clocks.sweepOnce()).toEqual({ breached: 1, atRisk: 1 });
    expect(await clocks.sweepOnce()).toEqual({ breached: 0, atRisk: 1 });
    expect(await metric('omnigate_ticket_clock_breaches_total{')).toEqual([
      'omnigate_ticket_clock_breaches_total{rule="psd2_art101_complaint",jurisdiction="IT"} 1',
    ]);
    expect(await metric('omnigate_ticket_clocks_at_risk{')).toEqual([
      'omnigate_ticket_clocks_at_risk{rule="psd2_art101_complaint",jurisdiction="IT"} 1',
    ]);
    expect((await contextTicket(late.id)).clock).toMatchObject({ state: 'breached' });
    expect((await tickets.get(late.id))?.breachedAt).toBeInstanceOf(Date);

    // Resolving it late counts nothing more: it was counted once already.
    const res = await call('POST', `/api/tickets/${late.id}/resolve`, {
      resolution: 'Risolto in ritardo.',
      conversationId,
    });
    expect(res.status).toBe(200);
    const resolved = ((await res.json()) as TicketActionResponseV1).ticket;
    expect(resolved.clock).toMatchObject({ state: 'breached' });
    expect(resolved.clock?.stoppedAt).not.toBeNull();
    expect(await metric('omnigate_ticket_clock_breaches_total{')).toHaveLength(1);
    expect((await metric('omnigate_ticket_clock_breaches_total{'))[0]).toMatch(/ 1$/);
  });

  it('opens a Visa dispute with its scheme deadline, stops it when raised, counts a late one', async () => {
    // Processed 10 days ago (Rome's calendar): Visa 10.4 gives 120 calendar days from then.
    const processedOn = localDateOf(new Date(Date.now() - 10 * DAY_MS), 'Europe/Rome');
    const visa = {
      subject: 'Acquisto online non riconosciuto',
      kind: 'card_dispute',
      disputeType: 'unauthorised',
      cardScheme: 'visa',
      schemeReason: '10.4',
      transactionProcessedOn: processedOn,
    };
    const ticket = await openTicket(visa);
    const due = schemeDueOf({
      limit: schemeLimitFor('visa', '10.4')!,
      jurisdiction: 'IT',
      processedOn,
      deliveryOn: null,
    }).toISOString();
    expect(ticket).toMatchObject({ cardScheme: 'visa', schemeReason: '10.4' });
    expect(ticket.transactionProcessedOn).toBe(processedOn);
    // Both clocks: PSD2 art. 73 (next business day) and Visa's 120 days.
    expect(ticket.clock).toMatchObject({ rule: 'psd2_art73_unauthorised' });
    expect(ticket.schemeClock).toMatchObject({
      rule: 'visa_dispute_time_limit',
      state: 'on_track',
      dueAt: due,
      extended: false,
      extendableTo: null,
    });
    const left = Date.parse(due) - Date.now();
    expect(left).toBeGreaterThan(109 * DAY_MS);
    expect(left).toBeLessThan(111 * DAY_MS);
    const stored = await sys.router.app.get(TicketsRepository).get(ticket.id);
    expect(stored?.schemeDueAt?.toISOString()).toBe(due);
    expect(stored?.transactionProcessedOn).toBe(processedOn);
    expect((await contextTicket(ticket.id)).schemeClock).toMatchObject({
      rule: 'visa_dispute_time_limit',
      dueAt: due,
    });

    // Refused with a clear 400: a future date, an unknown scheme, a reason of the other scheme.
    const tomorrow = localDateOf(new Date(Date.now() + 2 * DAY_MS), 'Europe/Rome');
    const refuse = async (over: Record<string, unknown>) =>
      errorOf(
        await call('POST', `/api/conversations/${conversationId}/tickets`, { ...visa, ...over }),
      );
    expect(await refuse({ transactionProcessedOn: tomorrow })).toMatchObject({
      status: 400,
      code: 'ACTION.SCHEME_DISPUTE_INVALID',
    });
    expect(await refuse({ cardScheme: 'amex' })).toMatchObject({
      status: 400,
      code: 'REQUEST.INVALID',
    });
    const wrongReason = await refuse({ schemeReason: '4837' });
    expect(wrongReason).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(wrongReason.message).toContain('4837 is not a visa dispute reason');

    // Raised with Visa in time: met, once.
    const path = `/api/tickets/${ticket.id}/scheme-raised`;
    const res = await call('POST', path, { conversationId });
    expect(res.status).toBe(200);
    const raised = ((await res.json()) as TicketActionResponseV1).ticket;
    expect(raised.schemeClock).toMatchObject({ state: 'met' });
    expect(raised.schemeClock?.stoppedAt).not.toBeNull();
    expect(await errorOf(await call('POST', path, { conversationId }))).toMatchObject({
      status: 409,
      code: 'ACTION.TICKET_CONFLICT',
    });

    // Processed 200 days ago: past Visa's 120 days at opening; the sweep counts it once.
    const late = await openTicket({
      ...visa,
      transactionProcessedOn: localDateOf(new Date(Date.now() - 200 * DAY_MS), 'Europe/Rome'),
    });
    expect(late.schemeClock).toMatchObject({ state: 'breached' });
    // Processed 115 days ago: 5 calendar days left, at risk (CLOCK_SCHEME_WARNING_DAYS 10).
    const risky = await openTicket({
      ...visa,
      transactionProcessedOn: localDateOf(new Date(Date.now() - 115 * DAY_MS), 'Europe/Rome'),
    });
    expect(risky.schemeClock).toMatchObject({ state: 'at_risk' });
    const clocks = sys.router.app.get(TicketClocksService);
    await clocks.sweepOnce();
    await clocks.sweepOnce();
    expect(
      await metric('omnigate_ticket_clock_breaches_total{rule="visa_dispute_time_limit"'),
    ).toEqual([
      'omnigate_ticket_clock_breaches_total{rule="visa_dispute_time_limit",jurisdiction="IT"} 1',
    ]);
    expect(await metric('omnigate_ticket_clocks_at_risk{rule="visa_dispute_time_limit"')).toEqual([
      'omnigate_ticket_clocks_at_risk{rule="visa_dispute_time_limit",jurisdiction="IT"} 1',
    ]);
    expect(
      (await sys.router.app.get(TicketsRepository).get(late.id))?.schemeBreachedAt,
    ).toBeInstanceOf(Date);
  });
});
