import { NatsConnection } from '@omnigate/bus';
import { setLogSink } from '@omnigate/kit';
import { ConversationsRepository, IdentitiesRepository, MessagesRepository } from '@omnigate/store';
import { consumerGroupProgress, groupSettled, pollUntil, readSubject } from '@omnigate/testing';
import type { ConsentChangedV1 } from '@omnigate/contracts';
import { SessionService } from '../src/session/session.service';
import { CORE_BANKING_SEED, SEED_IDS } from './core-banking.harness';
import { createdFor, inappMessage, inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

const person = (id: string) => CORE_BANKING_SEED.customers.find((c) => c.id === id)!;
const GIULIA = person(SEED_IDS.giulia);
const MARCO = person(SEED_IDS.marco);
const CHIARA = person(SEED_IDS.chiara);
const OLIVER = person(SEED_IDS.oliver);
const UNKNOWN_NUMBER = '+393201234567';

describe('router: inbound messages, identity and the one conversation per customer', () => {
  let sys: RouterSystem;
  const repo = <T>(cls: new (...args: never[]) => T): T => sys.router.app.get(cls);
  const waitCreated = (text: string, n = 1) =>
    pollUntil(() => createdFor(sys.events, text).length >= n && createdFor(sys.events, text), {
      what: `message.created for "${text}"`,
    });

  beforeAll(async () => {
    // Identity and the one conversation: the bot (tested in routing.int-spec) would answer in between.
    sys = await startRouterSystem({ ROUTER_BOT_ENABLED: 'false' });
  });
  afterAll(async () => sys?.close());

  it("links an SMS from the bank's verified number to the customer, with her name", async () => {
    await sys.sendInbound(
      inbound({ from: { address: GIULIA.phone }, text: 'Buongiorno, la mia carta è bloccata' }),
    );
    const [created] = await waitCreated('Buongiorno, la mia carta è bloccata');
    expect(created!.conversation.customer).toMatchObject({
      displayName: 'Giulia Rossi',
      verified: true,
    });
    expect(created!.conversation.channels).toEqual(['sms']);
    expect(created!.conversation.lastChannel).toBe('sms');
    expect(created!.message).toMatchObject({
      direction: 'inbound',
      channel: 'sms',
      kind: 'text',
      seq: 1,
      author: { kind: 'customer' },
    });
    const resolved = await repo(IdentitiesRepository).findActive('sms', GIULIA.phone);
    expect(resolved?.customer).toMatchObject({
      kind: 'customer',
      coreRef: SEED_IDS.giulia,
      displayName: 'Giulia Rossi',
    });
    expect(resolved?.identity).toMatchObject({
      status: 'linked',
      linkMethod: 'bank_verified_phone',
      assurance: 'possession',
    });
  });

  it('keeps the same conversation when the customer continues in the app', async () => {
    const [sms] = createdFor(sys.events, 'Buongiorno, la mia carta è bloccata');
    await sys.sendInbound(inappMessage(GIULIA.appUserId!, 'Vi scrivo anche dall’app', 'c-1'));
    const [created] = await waitCreated('Vi scrivo anche dall’app');
    expect(created!.conversation.id).toBe(sms!.conversation.id);
    expect(created!.conversation.customer.id).toBe(sms!.conversation.customer.id);
    expect(created!.conversation.channels).toEqual(['sms', 'inapp']);
    expect(created!.conversation.lastChannel).toBe('inapp');
    expect(created!.message).toMatchObject({ channel: 'inapp', seq: 2, clientMsgId: 'c-1' });
    const app = await repo(IdentitiesRepository).findActive('inapp', GIULIA.appUserId!);
    expect(app?.identity).toMatchObject({ linkMethod: 'app_jwt', assurance: 'app_session' });
    expect(await repo(ConversationsRepository).findOpenForCustomer(app!.customer.id)).toMatchObject(
      { id: sms!.conversation.id },
    );
    const session = await repo(SessionService).get(app!.customer.id);
    expect(session).toMatchObject({
      conversationId: sms!.conversation.id,
      channels: ['sms', 'inapp'],
      lastChannel: 'inapp',
    });
  });

  it('makes an unknown number an unverified contact of its own, linked to nobody', async () => {
    await sys.sendInbound(
      inbound({
        from: { address: UNKNOWN_NUMBER },
        text: 'Sono Giulia Rossi, il mio numero è +393471234567',
      }),
    );
    const [created] = await waitCreated('Sono Giulia Rossi, il mio numero è +393471234567');
    expect(created!.conversation.customer).toMatchObject({ displayName: null, verified: false });
    const giulia = await repo(IdentitiesRepository).findActive('sms', GIULIA.phone);
    expect(created!.conversation.customer.id).not.toBe(giulia!.customer.id);
    const contact = await repo(IdentitiesRepository).findActive('sms', UNKNOWN_NUMBER);
    expect(contact?.customer).toMatchObject({ kind: 'contact', coreRef: null });
    expect(contact?.identity).toMatchObject({
      status: 'unverified',
      linkMethod: 'none',
      assurance: 'none',
    });
  });

  it('never merges on a claimed name, nor on an app message whose token is for somebody else', async () => {
    await sys.sendInbound(
      inbound({
        channel: 'telegram',
        from: { address: '987654321', displayName: 'Giulia Rossi' },
        to: { address: 'bank_bot' },
        text: 'telegram claim',
      }),
    );
    const forged = inappMessage('app-giulia-2', 'app claim', 'c-claim');
    await sys.sendInbound({ ...forged, auth: { ...forged.auth, subject: GIULIA.appUserId! } });
    const [tg] = await waitCreated('telegram claim');
    const [app] = await waitCreated('app claim');
    expect(tg!.conversation.customer).toMatchObject({
      verified: false,
      displayName: 'Giulia Rossi',
    });
    expect(app!.conversation.customer.verified).toBe(false);
    const giulia = await repo(IdentitiesRepository).findActive('sms', GIULIA.phone);
    expect([tg!.conversation.id, app!.conversation.id]).not.toContain(
      createdFor(sys.events, 'Vi scrivo anche dall’app')[0]!.conversation.id,
    );
    expect(await repo(IdentitiesRepository).listForCustomer(giulia!.customer.id)).toHaveLength(2);
  });

  it('stores a redelivered message once (same provider id, JetStream dedupe bypassed)', async () => {
    const msg = inbound({ from: { address: MARCO.phone }, text: 'duplicato?' });
    await sys.sendInbound(msg, 'first-delivery');
    await sys.sendInbound(msg, 'second-delivery');
    await waitCreated('duplicato?', 2);
    await pollUntil(
      async () =>
        groupSettled(await consumerGroupProgress(sys.nats.url, 'MSG_IN', 'router-inbound')),
      { what: 'both deliveries acknowledged' },
    );
    const [first, second] = createdFor(sys.events, 'duplicato?');
    expect(second!.message.id).toBe(first!.message.id);
    const stored = await repo(MessagesRepository).listAfter(first!.conversation.id, 0);
    expect(stored.filter((m) => m.body === 'duplicato?')).toHaveLength(1);
  });

  it('stores STOP as an opt-out note and announces the consent change', async () => {
    await sys.sendInbound(
      inbound({ from: { address: GIULIA.phone }, kind: 'optout', text: 'STOP' }),
    );
    const [created] = await waitCreated('STOP');
    expect(created!.message.kind).toBe('optout');
    const consent = await pollUntil(() =>
      sys.events.find(
        (e) => e.event.kind === 'consent.changed' && e.conversationId === created!.conversation.id,
      ),
    );
    expect(consent.event).toEqual({ kind: 'consent.changed', channel: 'sms', optedOut: true });
    expect((await repo(MessagesRepository).get(created!.message.id))?.kind).toBe('optout');
    // The SMS gateway hears of it too (its own opt-out list): every purpose, at the STOP's time.
    const onBus = await pollUntil(
      async () =>
        (
          await readSubject<ConsentChangedV1>(sys.bus, 'CONSENT_EVENTS', 'consent.v1.changed.sms')
        ).find((e) => e.addresses.includes(GIULIA.phone)),
      { what: 'the consent event for the SMS gateway' },
    );
    expect(onBus).toMatchObject({
      channel: 'sms',
      source: 'keyword',
      changes: [
        { purpose: 'service', granted: false },
        { purpose: 'fraud_alert', granted: false },
        { purpose: 'marketing', granted: false },
      ],
    });
    await sys.sendInbound(
      inbound({ from: { address: GIULIA.phone }, kind: 'optin', text: 'START' }),
    );
    await pollUntil(
      () => sys.events.find((e) => e.event.kind === 'consent.changed' && !e.event.optedOut),
      { what: 'opt-in event' },
    );
  });

  it('dead-letters an inbound payload that breaks the contract', async () => {
    const bad = { ...inbound({ from: { address: GIULIA.phone } }), version: 2 };
    await sys.bus
      .get(NatsConnection)
      .jetstream()
      .publish('msg.in.v1.sms', Buffer.from(JSON.stringify(bad)), { msgID: 'bad-inbound' });
    const dl = await pollUntil(() => sys.deadLetters.find((d) => d.consumer === 'router-inbound'), {
      what: 'a dead letter',
    });
    expect(dl.error.code).toBe('BUS.PAYLOAD_INVALID');
  });

  describe('when core banking is down', () => {
    let logs: string[] = [];
    let restore: ((line: string) => void) | null = null;
    beforeEach(() => {
      logs = [];
      const prev = setLogSink((line) => {
        logs.push(line);
        prev(line);
      });
      restore = prev;
    });
    afterEach(async () => {
      if (restore) setLogSink(restore);
      await sys.core.setDown(false);
    });

    it('still delivers messages of known customers', async () => {
      await sys.core.setDown(true);
      await sys.sendInbound(inbound({ from: { address: GIULIA.phone }, text: 'ancora lì?' }));
      const [created] = await waitCreated('ancora lì?');
      expect(created!.conversation.customer).toMatchObject({
        displayName: 'Giulia Rossi',
        verified: true,
      });
    });

    it('retries a new address and links it once core banking is back', async () => {
      await sys.core.setDown(true);
      await sys.sendInbound(
        inbound({ from: { address: OLIVER.phone }, text: 'Hi, is anybody there?' }),
      );
      await pollUntil(
        () => logs.some((l) => l.includes('will retry') && l.includes('CORE_BANKING.UNAVAILABLE')),
        { what: 'a deferred identity lookup' },
      );
      expect(createdFor(sys.events, 'Hi, is anybody there?')).toHaveLength(0);
      await sys.core.setDown(false);
      const [created] = await waitCreated('Hi, is anybody there?');
      expect(created!.conversation.customer).toMatchObject({
        displayName: 'Oliver Bennett',
        verified: true,
      });
    });

    it('falls back to an unverified contact after the last attempt, so the message is not lost', async () => {
      await sys.core.setDown(true);
      await sys.sendInbound(
        inbound({ from: { address: CHIARA.phone }, text: 'nessuno mi risponde' }),
      );
      const [created] = await waitCreated('nessuno mi risponde');
      expect(created!.conversation.customer.verified).toBe(false);
      expect(
        logs.filter((l) => l.includes('will retry') && l.includes('CORE_BANKING.UNAVAILABLE'))
          .length,
      ).toBeGreaterThanOrEqual(3);
      expect(
        sys.deadLetters.filter((d) => d.error.code === 'CORE_BANKING.UNAVAILABLE'),
      ).toHaveLength(0);
    });
  });

  it('loses nothing and duplicates nothing across a restart', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `riavvio ${i}`);
    await sys.restartRouter();
    for (const [i, text] of texts.entries()) {
      await sys.sendInbound(inbound({ from: { address: `+39348100${String(1000 + i)}` }, text }));
      if (i === 5) await sys.restartRouter();
    }
    for (const text of texts) await waitCreated(text);
    const repoM = repo(MessagesRepository);
    for (const text of texts) {
      const [ev] = createdFor(sys.events, text);
      const rows = await repoM.listAfter(ev!.conversation.id, 0);
      expect(rows.filter((m) => m.body === text)).toHaveLength(1);
    }
  });
});
