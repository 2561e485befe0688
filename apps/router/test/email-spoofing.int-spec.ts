import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { RouterRequests } from '@omnigate/contracts';
import type { ConversationEventV1, InboundMessageV1 } from '@omnigate/contracts';
import { AuditLogRepository, ConsentsRepository, IdentitiesRepository } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { SEED_IDS } from './core-banking.harness';
import { inappMessage, inbound, startRouterSystem } from './router.harness';
import type { MessageCreated, RouterSystem } from './router.harness';

const GIULIA = { email: 'giulia.rossi@example.it', phone: '+393471234567' };
const MARCO_EMAIL = 'marco.bianchi@example.it';
const SUPPORT = 'support@bank.example';
const NOTICE = 'We cannot verify that this email really comes from your address';

/**
 * A mail as the email gateway publishes it: `proven` when DMARC passed for the From's own domain
 * (an attacker's own domain passes too), else with the gateway's warning and no claim.
 */
function mail(
  from: string,
  text: string,
  proven: boolean,
  over: Partial<InboundMessageV1> = {},
): InboundMessageV1 {
  return inbound({
    channel: 'email',
    providerMessageId: `<${randomUUID()}@mail.example>`,
    from: { address: from },
    to: { address: SUPPORT },
    text,
    auth: proven
      ? { method: 'email_dmarc', level: 'none', subject: from }
      : { method: 'none', level: 'none' },
    meta: proven
      ? { emailAuth: 'spf=pass dkim=pass dmarc=pass' }
      : { emailAuth: 'spf=fail dkim=none dmarc=fail', authWarning: 'dmarc_fail' },
    ...over,
  });
}

async function counterValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = register.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  const hit = values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return hit?.value ?? 0;
}

// Issue 13 items 1 and 8: a forged From never links, never changes consent, never resolves to a
// customer; OTPs are limited per target and per customer, audited.
describe('router: spoofed email and OTP bombing', () => {
  let sys: RouterSystem;
  const get = <T>(cls: abstract new (...args: never[]) => T): T => sys.router.app.get(cls);

  /** Publishes `msg` and waits until the router stored it; returns its message.created event. */
  const deliver = async (msg: InboundMessageV1): Promise<MessageCreated> => {
    const from = sys.events.length;
    await sys.sendInbound(msg);
    return pollUntil(
      () =>
        sys.events
          .slice(from)
          .map((e: ConversationEventV1) => e.event)
          .find(
            (e): e is MessageCreated =>
              e.kind === 'message.created' &&
              e.message.direction === 'inbound' &&
              e.message.text === msg.text &&
              e.message.channel === msg.channel,
          ),
      { what: `the stored message "${msg.text}"` },
    );
  };
  const repliesTo = (address: string, contains: string) =>
    sys.outbound.filter((o) => o.to.address === address && o.text.includes(contains));
  const context = (conversationId: string) =>
    sys.rpc.request(RouterRequests.getContext, { conversationId });
  const auditOf = async (action: string) =>
    (await get(AuditLogRepository).search({ action, limit: 500 })).reverse();

  beforeAll(async () => {
    sys = await startRouterSystem({
      IDENTITY_CODE_KEY: 'spoofing-test-code-key-0123',
      // This file floods core banking with 100 concurrent owner lookups and tests limits, not
      // outages: the harness's 500 ms timeout (made for the outage tests) turned a loaded CI
      // machine's slow answers into 'core banking unavailable' and retries (seen in 4 CI runs).
      CORE_BANKING_TIMEOUT_MS: '10000',
    });
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('ATTACK: a forged From sending "LINK <code>" links nothing; the victim’s mails never reach the attacker', async () => {
    // Marco, the attacker, is a real app user: he gets a link code in his app.
    await deliver(inappMessage('app-marco', 'ciao dall’app', 'spoof-1'));
    const { code } = await sys.rpc.request(RouterRequests.issueLinkCode, {
      appUserId: 'app-marco',
    });

    // He mails it with Giulia's address in From; DMARC fails for example.it.
    const forged = await deliver(mail(GIULIA.email, `LINK ${code}`, false));
    expect(forged.message.flags).toEqual(['email_dmarc_fail', 'email_command_refused']);
    expect(forged.conversation.customer.verified).toBe(false);
    const notice = await pollUntil(() => repliesTo(GIULIA.email, NOTICE)[0], {
      what: 'the notice to the unproven sender',
    });
    expect(notice.text).toContain('Non possiamo verificare');
    expect(repliesTo(GIULIA.email, 'linked to your account')).toEqual([]);

    const identities = get(IdentitiesRepository);
    expect(await identities.findActive('email', GIULIA.email)).toBeNull();
    const contact = await identities.findActive('email', GIULIA.email, 'unauthenticated');
    expect(contact?.identity).toMatchObject({
      status: 'unverified',
      linkMethod: 'unauthenticated',
    });
    expect(contact?.customer.kind).toBe('contact');

    // Giulia's own mail (DMARC passes) is hers: the bank's verified email, her conversation.
    const genuine = await deliver(mail(GIULIA.email, 'Ho un bonifico fermo da ieri', true));
    const giulia = await identities.findActive('email', GIULIA.email);
    expect(giulia?.identity).toMatchObject({ status: 'linked', linkMethod: 'bank_verified_email' });
    expect(giulia?.customer.coreRef).toBe(SEED_IDS.giulia);
    expect(genuine.conversation.customer.verified).toBe(true);
    expect(genuine.conversation.id).not.toBe(forged.conversation.id);

    // Marco's app resume shows his own conversation only.
    const history = await sys.rpc.request(RouterRequests.appHistory, {
      appUserId: 'app-marco',
      afterSeq: 0,
    });
    expect(history.conversationId).not.toBe(genuine.conversation.id);
    const texts = history.messages.map((m) => m.text);
    expect(texts).toContain('ciao dall’app');
    expect(texts).not.toContain('Ho un bonifico fermo da ieri');
    expect(texts).not.toContain(`LINK ${code}`);

    // A forged mail from her now-linked address is still the unverified contact: no data of hers.
    const probe = await deliver(mail(GIULIA.email, 'Mostrami gli ultimi movimenti', false));
    expect(probe.conversation.id).toBe(forged.conversation.id);
    expect(probe.message.flags).toEqual(['email_dmarc_fail']);
    const ctx = await context(probe.conversation.id);
    expect(ctx.customer.verified).toBe(false);
    expect(ctx.cards).toEqual([]);
    expect(ctx.recentTransactions).toEqual([]);
    expect(JSON.stringify(ctx)).not.toContain('Giulia');
    const bot = await pollUntil(
      () =>
        sys.outbound.find(
          (o) =>
            o.conversationId === probe.conversation.id &&
            o.author.kind === 'bot' &&
            o.seq > probe.message.seq,
        ),
      { what: 'the bot’s answer to the forged mail' },
    );
    expect(bot.text).not.toMatch(/Giulia|\*\*\*\*|€/);
  });

  it('ATTACK: a forged mail sent before the owner ever wrote does not squat the address', async () => {
    const squat = await deliver(mail(MARCO_EMAIL, 'Sono Marco, ciao', false));
    expect(squat.conversation.customer.verified).toBe(false);
    const own = await deliver(mail(MARCO_EMAIL, 'Buongiorno, sono davvero Marco', true));
    expect(own.conversation.customer.verified).toBe(true);
    expect(own.conversation.customer.displayName).toBe('Marco Bianchi');
    expect(own.conversation.id).not.toBe(squat.conversation.id);
  });

  it('ATTACK: a forged STOP or START changes nobody’s consent; the owner’s own STOP does', async () => {
    const consents = get(ConsentsRepository);
    const giulia = (await get(IdentitiesRepository).findActive('email', GIULIA.email))!;
    const fraudAlerts = () => consents.get(giulia.customer.id, 'email', 'fraud_alert');
    const before = repliesTo(GIULIA.email, NOTICE).length;

    // As a gateway older than this fix publishes it (kind optout), and as it does now (text + note).
    const stops = [
      mail(GIULIA.email, 'STOP', false, { kind: 'optout' }),
      mail(GIULIA.email, 'ANNULLA', false, { meta: { unprovenConsent: 'optout' } }),
    ];
    for (const m of stops) {
      const stored = await deliver(m);
      expect(stored.message.flags).toContain('email_command_refused');
      expect(stored.conversation.customer.id).not.toBe(giulia.customer.id);
    }
    await pollUntil(() => repliesTo(GIULIA.email, NOTICE).length === before + 2, {
      what: 'a notice for each forged STOP',
    });
    expect(await fraudAlerts()).toBeNull();

    // Her own STOP (DMARC passes) is honoured...
    await deliver(mail(GIULIA.email, 'STOP', true, { kind: 'optout' }));
    await pollUntil(async () => (await fraudAlerts())?.granted === false, {
      what: 'her STOP recorded',
    });
    // ...and a forged START does not turn her fraud alerts back on.
    await deliver(mail(GIULIA.email, 'START', false, { kind: 'optin' }));
    await pollUntil(() => repliesTo(GIULIA.email, NOTICE).length === before + 3, {
      what: 'the notice for the forged START',
    });
    expect(await fraudAlerts()).toMatchObject({ granted: false });
    expect((await consents.get(giulia.customer.id, 'email', 'service'))?.granted).toBe(false);
  });

  it('ATTACK: 100 mails from random senders asking an OTP for one phone send at most 3 SMS, audited', async () => {
    // Concurrent requests may meet the per-customer limit before the per-target one: any limit.
    const refusedTotal = async () =>
      (await counterValue('omnigate_router_otp_refused_total', { limit: 'target' })) +
      (await counterValue('omnigate_router_otp_refused_total', { limit: 'customer' })) +
      (await counterValue('omnigate_router_otp_refused_total', { limit: 'requester' }));
    const refusedBefore = await refusedTotal();
    const senders = Array.from({ length: 100 }, (_, i) => `x${i}-${randomUUID()}@attacker.example`);
    // The attacker's own domain passes DMARC: these are proven senders, each asking once.
    await Promise.all(senders.map((s) => sys.sendInbound(mail(s, `LINK ${GIULIA.phone}`, true))));
    // Forged senders too: they never get an OTP request honoured at all.
    const forged = Array.from({ length: 10 }, (_, i) => `f${i}@bank-customers.example`);
    await Promise.all(forged.map((s) => sys.sendInbound(mail(s, `LINK ${GIULIA.phone}`, false))));
    const answered = (a: string) =>
      sys.outbound.some((o) => o.channel === 'email' && o.to.address === a);
    await pollUntil(() => [...senders, ...forged].every(answered), {
      what: 'an answer to each of the 110 requests',
      timeoutMs: 60_000,
    });

    const sms = sys.outbound.filter((o) => o.channel === 'sms' && o.to.address === GIULIA.phone);
    // At most 3, the limit. Usually exactly 3; fewer when one of the first three requests failed
    // after taking its slot (core banking timing out on a loaded machine, or after its OTP was
    // issued and audited but before the SMS went out) and was refused when handled again: a
    // failure may waste a slot, never add one. Known defect: issuing is not keyed to the request.
    const n = new Set(sms.map((o) => o.messageId)).size;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(3);
    expect(sms.every((o) => o.text.includes('Il tuo codice'))).toBe(true);
    const limited = senders.filter((s) => repliesTo(s, 'Too many code requests').length > 0);
    expect(limited.length).toBeGreaterThanOrEqual(100 - n);
    // The notice is one text in both languages (Italian first).
    const isNotice = (text: string) =>
      text.includes(NOTICE) && text.startsWith('Non possiamo verificare che questa email');
    const toForged = (s: string) => sys.outbound.filter((o) => o.to.address === s);
    // Every forged sender is told the notice and nothing else, as ONE message: on a loaded machine
    // a request can outlive the harness's 2 s ack wait and be handled again. The notice is keyed to
    // the inbound message (identity-reply:<channel>:<provider id>), so the redelivery finds it
    // stored and hands out the same message again; the harness's core subscription sees that
    // second publish, while JetStream drops it by its Nats-Msg-Id (out:<messageId>), so the
    // gateway sends it once. One distinct messageId per sender is what reaches the customer.
    expect(
      forged.map((s) => {
        const replies = toForged(s);
        return {
          notices: replies.every((o) => isNotice(o.text)),
          messages: new Set(replies.map((o) => o.messageId)).size,
        };
      }),
    ).toEqual(forged.map(() => ({ notices: true, messages: 1 })));

    const giulia = (await get(IdentitiesRepository).findActive('email', GIULIA.email))!;
    const issued = await auditOf('identity.otp_issued');
    expect(issued.length).toBeGreaterThanOrEqual(n);
    expect(issued.length).toBeLessThanOrEqual(3);
    expect(issued.every((a) => a.subject === giulia.customer.id)).toBe(true);
    expect(issued[0]!.detail).toMatchObject({ requestChannel: 'email', delivery: 'sms' });
    const refusals = await auditOf('identity.otp_limited');
    // One record per limit episode, naming the targeted customer; never the phone number.
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      actor: 'system',
      subject: giulia.customer.id,
      detail: { limit: 'target', targetType: 'phone', requestChannel: 'email', max: 3 },
    });
    expect(JSON.stringify([...issued, ...refusals])).not.toContain(GIULIA.phone.slice(3));
    // The refusal is counted after its reply goes out, so the last ones may still be on their way;
    // a redelivered request counts its refusal again (hence at least).
    await pollUntil(async () => (await refusedTotal()) - refusedBefore >= 100 - n, {
      what: `${100 - n} refusals counted`,
      timeoutMs: 10_000,
    });
    expect(sys.deadLetters).toEqual([]);
  });

  it('ATTACK: alternating the phone and the email of one customer stops at the per-customer limit', async () => {
    const MARCO_PHONE = '+393489876543';
    const ask = async (target: string) => {
      const requester = `y-${randomUUID()}@attacker.example`;
      await sys.sendInbound(mail(requester, `LINK ${target}`, true));
      return pollUntil(() => repliesTo(requester, 'Se questo recapito')[0], {
        what: `the answer to the OTP request for ${target}`,
        timeoutMs: 30_000,
      });
    };
    const codesTo = (address: string) =>
      sys.outbound.filter((o) => o.to.address === address && o.text.includes('Il tuo codice'));
    // Up to the per-target limit on his phone, then on to his email.
    const told = [];
    for (const target of [MARCO_PHONE, MARCO_PHONE, MARCO_PHONE, MARCO_EMAIL, MARCO_EMAIL]) {
      told.push(await ask(target));
    }
    told.push(await ask(MARCO_EMAIL));
    // The same answer every time: a limit on a known customer must not tell that the bank knows him.
    expect(new Set(told.map((t) => t.text)).size).toBe(1);
    expect(codesTo(MARCO_PHONE)).toHaveLength(3);
    // 5 per customer within the window: 3 by SMS, so 2 by email, and the third is refused.
    expect(codesTo(MARCO_EMAIL)).toHaveLength(2);
    const marco = (await get(IdentitiesRepository).findActive('email', MARCO_EMAIL))!;
    const refusals = await auditOf('identity.otp_limited');
    expect(refusals).toContainEqual(
      expect.objectContaining({
        subject: marco.customer.id,
        detail: expect.objectContaining({
          limit: 'customer',
          targetType: 'email',
          max: 5,
        }) as unknown,
      }),
    );
  });
  it('a LINK request handled twice (a redelivery after its first pass) sends one code and holds one slot', async () => {
    const OLIVER_PHONE = '+447911123456';
    const requester = `z-${randomUUID()}@attacker.example`;
    const request = mail(requester, `LINK ${OLIVER_PHONE}`, true);
    const issuedBefore = (await auditOf('identity.otp_issued')).length;
    await sys.sendInbound(request);
    await pollUntil(() => repliesTo(requester, 'Se questo recapito')[0], {
      what: 'the answer to the first pass',
      timeoutMs: 30_000,
    });
    // The same inbound message again, as JetStream redelivers it (another publish id, so the
    // stream keeps it; the router sees the same provider message id).
    await sys.sendInbound(request, `redelivery-${randomUUID()}`);
    // Its answer is the first one handed out again (keyed to the inbound message), after its code if any.
    await pollUntil(() => repliesTo(requester, 'Se questo recapito').length >= 2, {
      what: 'the answer to the second pass',
      timeoutMs: 30_000,
    });
    const codes = sys.outbound.filter(
      (o) => o.to.address === OLIVER_PHONE && o.text.includes('Il tuo codice'),
    );
    expect(new Set(codes.map((o) => o.messageId)).size).toBe(1);
    expect((await auditOf('identity.otp_issued')).length - issuedBefore).toBe(1);
    // Its slot was taken once: two more requests get codes, the fourth is refused.
    for (let n = 0; n < 3; n++) {
      const other = `z-${randomUUID()}@attacker.example`;
      await sys.sendInbound(mail(other, `LINK ${OLIVER_PHONE}`, true));
      await pollUntil(() => sys.outbound.find((o) => o.to.address === other), {
        what: `the answer to request ${n + 2}`,
        timeoutMs: 30_000,
      });
    }
    const after = sys.outbound.filter(
      (o) => o.to.address === OLIVER_PHONE && o.text.includes('Il tuo codice'),
    );
    expect(new Set(after.map((o) => o.messageId)).size).toBe(3);
  });
});
