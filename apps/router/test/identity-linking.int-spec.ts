import { Module } from '@nestjs/common';
import { RouterRequests } from '@omnigate/contracts';
import type { Channel, CustomerContextV1 } from '@omnigate/contracts';
import { KitModule, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { AuditLogRepository, IdentitiesRepository } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
// Test-only: the sandbox's core-banking stand-in in this process, so the test can move a number.
import { CoreBankingModule } from '../../sandbox/src/core-banking/core-banking.module';
import { CoreBankingState } from '../../sandbox/src/core-banking/core-banking-state.service';
import { CoreBankingPort } from '../src/core-banking/core-banking.port';
import { IdentityTrustService } from '../src/identity/identity-trust.service';
import { AssuranceService } from '../src/session/assurance.service';
import { CORE_KEY, SEED_IDS } from './core-banking.harness';
import { inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

@Module({})
class CoreApp {}

const GIULIA_PHONE = '+393471234567';

describe('router: identity linking on proof, revocation, ported numbers', () => {
  let sys: RouterSystem;
  let core: RunningHttpApp;
  let seq = 0;
  const get = <T>(cls: abstract new (...args: never[]) => T): T => sys.router.app.get(cls);
  const bank = () => core.app.get(CoreBankingState);

  const issueCode = (appUserId: string) =>
    sys.rpc.request(RouterRequests.issueLinkCode, { appUserId });
  const context = (conversationId: string): Promise<CustomerContextV1> =>
    sys.rpc.request(RouterRequests.getContext, { conversationId });
  /** Sends a message and waits until the router stored it; returns its conversation id. */
  const send = async (channel: Channel, address: string, text: string) => {
    // Plain messages get a unique suffix; commands are sent verbatim.
    const body = /^(LINK|COLLEGA|\/start|\d{6}$)/i.test(text) ? text : `${text} (${++seq})`;
    const from = sys.events.length;
    await sys.sendInbound(inbound({ channel, from: { address }, text: body }));
    const created = await pollUntil(
      () =>
        sys.events
          .slice(from)
          .map((e) => e.event)
          .find(
            (e) =>
              e.kind === 'message.created' &&
              e.message.direction === 'inbound' &&
              e.message.channel === channel &&
              e.message.text === body,
          ),
      { what: `the stored message "${body}"` },
    );
    if (created.kind !== 'message.created') throw new Error('unreachable');
    return created.conversation.id;
  };
  const replyTo = (channel: Channel, address: string, contains: string) =>
    pollUntil(
      () =>
        sys.outbound.find(
          (o) => o.channel === channel && o.to.address === address && o.text.includes(contains),
        ),
      { what: `a reply on ${channel} containing "${contains}"` },
    );

  beforeAll(async () => {
    core = await startHttpApp(
      { module: CoreApp, imports: [KitModule, CoreBankingModule.forRoot({ apiKey: CORE_KEY })] },
      { name: 'core-banking-identity-test', port: 0, logLevel: 'error' },
    );
    sys = await startRouterSystem({
      CORE_BANKING_URL: `${core.url}/core/v1`,
      TELEGRAM_BOT_USERNAME: 'OmnigateTestBot',
      WHATSAPP_NUMBER: '+390212345678',
      IDENTITY_CODE_KEY: 'identity-test-code-key-0123',
      // Every message re-checks that the bank still gives the number to the linked customer.
      IDENTITY_RECHECK_MS: '0',
    });
  });
  afterAll(async () => {
    await sys?.close();
    await core?.close();
  });

  it('issues a link code with deep links to the app user, refusing a user the bank does not know', async () => {
    const issued = await issueCode('app-giulia');
    expect(issued.code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(issued.deepLinks).toEqual({
      telegram: `https://t.me/OmnigateTestBot?start=link_${issued.code}`,
      whatsapp: `https://wa.me/390212345678?text=LINK%20${issued.code}`,
    });
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    await expect(issueCode('app-nobody')).rejects.toMatchObject({
      code: 'IDENTITY.APP_USER_NOT_FOUND',
    });
  });

  it('links a Telegram chat at possession by the deep link, audited without the address', async () => {
    const chat = '700000001';
    const { code } = await issueCode('app-giulia');
    const conversationId = await send('telegram', chat, `/start link_${code}`);
    const reply = await replyTo('telegram', chat, 'collegato');
    expect(reply.text).toContain('linked to your account');

    const linked = await get(IdentitiesRepository).findActive('telegram', chat);
    expect(linked?.identity).toMatchObject({
      status: 'linked',
      linkMethod: 'link_code',
      assurance: 'possession',
    });
    expect(linked?.customer.coreRef).toBe(SEED_IDS.giulia);

    const ctx = await context(conversationId);
    expect(ctx.customer.verified).toBe(true);
    expect(ctx.linkedChannels).toContainEqual(
      expect.objectContaining({
        channel: 'telegram',
        linkMethod: 'link_code',
        identityId: linked!.identity.id,
        assurance: 'possession',
      }),
    );
    const audit = (await get(AuditLogRepository).recent(20)).find(
      (a) => a.action === 'identity.linked' && a.subject === linked!.identity.id,
    );
    expect(audit).toMatchObject({
      actor: 'customer',
      detail: { method: 'link_code', channel: 'telegram' },
    });
    expect(JSON.stringify(audit)).not.toContain(chat);

    // The code is single-use: sent again from another chat, it links nothing.
    await send('telegram', '700000002', `LINK ${code}`);
    await replyTo('telegram', '700000002', 'Codice non valido');
    expect(
      (await get(IdentitiesRepository).findActive('telegram', '700000002'))?.identity.status,
    ).toBe('unverified');
  });

  it('upgrades an SMS contact by "COLLEGA <code>", and only the newest code works', async () => {
    const phone = '+393209990001';
    await send('sms', phone, 'ciao, sono un cliente');
    expect((await get(IdentitiesRepository).findActive('sms', phone))?.identity.status).toBe(
      'unverified',
    );
    const older = await issueCode('app-marco');
    const newer = await issueCode('app-marco');
    await send('sms', phone, `COLLEGA ${older.code}`);
    await replyTo('sms', phone, 'Invalid or expired code');
    await send('sms', phone, `collega ${newer.code.toLowerCase()}`);
    await replyTo('sms', phone, 'now linked');
    const linked = await get(IdentitiesRepository).findActive('sms', phone);
    expect(linked?.identity).toMatchObject({ status: 'linked', linkMethod: 'link_code' });
    expect(linked?.customer.coreRef).toBe(SEED_IDS.marco);
  });

  it('refuses wrong codes and, after 5 failures, even the right one (brute-force guard)', async () => {
    const chat = '700000010';
    for (let i = 0; i < 5; i++) {
      await send('telegram', chat, `LINK ZZZZZZ${'23456789'[i]}${'23456789'[i]}`);
    }
    await pollUntil(
      () =>
        sys.outbound.filter((o) => o.to.address === chat && o.text.includes('Codice non valido'))
          .length === 5,
      { what: 'five refusals' },
    );
    const { code } = await issueCode('app-chiara');
    await send('telegram', chat, `LINK ${code}`);
    await replyTo('telegram', chat, 'Too many wrong codes');
    const identity = await get(IdentitiesRepository).findActive('telegram', chat);
    expect(identity?.identity.status).toBe('unverified');
    expect(identity?.customer.kind).toBe('contact');
  });

  it('sends an OTP by SMS to the bank-verified phone, answers the same for an unknown one, and links on the typed code', async () => {
    const requester = '700000020';
    await send('telegram', requester, `COLLEGA ${GIULIA_PHONE}`);
    const sms = await replyTo('sms', GIULIA_PHONE, 'Il tuo codice');
    const otp = /(\d{6})/.exec(sms.text)![1]!;
    const told = await replyTo('telegram', requester, 'If this address is registered');

    const stranger = '700000021';
    const before = sys.outbound.filter((o) => o.channel === 'sms').length;
    await send('telegram', stranger, 'COLLEGA +393201111111');
    const toldStranger = await replyTo('telegram', stranger, 'If this address is registered');
    expect(toldStranger.text).toBe(told.text);
    expect(sys.outbound.filter((o) => o.channel === 'sms')).toHaveLength(before);

    // The code is bound to the requesting chat: typed from another chat it is just a message.
    await send('telegram', stranger, otp);
    expect(
      (await get(IdentitiesRepository).findActive('telegram', stranger))?.identity.status,
    ).toBe('unverified');

    await send('telegram', requester, otp);
    await replyTo('telegram', requester, 'now linked');
    const linked = await get(IdentitiesRepository).findActive('telegram', requester);
    expect(linked?.identity).toMatchObject({ status: 'linked', linkMethod: 'otp' });
    expect(linked?.customer.coreRef).toBe(SEED_IDS.giulia);
  });

  it('gives an unlinked number claiming to be a customer no customer data', async () => {
    const conversationId = await send(
      'telegram',
      '700000030',
      'Sono Giulia Rossi, cliente, il mio numero è +393471234567: mostrami i movimenti',
    );
    const ctx = await context(conversationId);
    expect(ctx.customer.verified).toBe(false);
    expect(ctx.cards).toEqual([]);
    expect(ctx.recentTransactions).toEqual([]);
    expect(ctx.assurance).toBeUndefined();
    expect(JSON.stringify(ctx)).not.toContain('Giulia Rossi');
  });

  it('unlinks by RPC (audited): the next message from that address is a new unverified contact', async () => {
    const chat = '700000040';
    const { code } = await issueCode('app-luca');
    await send('telegram', chat, `LINK ${code}`);
    await replyTo('telegram', chat, 'now linked');
    const linked = (await get(IdentitiesRepository).findActive('telegram', chat))!;
    const res = await sys.rpc.request(RouterRequests.unlinkIdentity, {
      customerId: linked.customer.id,
      identityId: linked.identity.id,
      actorId: 'sam',
      reason: 'customer lost the phone',
    });
    expect(res).toEqual({ identityId: linked.identity.id, revoked: true });
    const conversationId = await send('telegram', chat, 'sono ancora io?');
    const ctx = await context(conversationId);
    expect(ctx.customer.verified).toBe(false);
    expect(ctx.customer.id).not.toBe(linked.customer.id);
    const audit = (await get(AuditLogRepository).recent(20)).find(
      (a) => a.action === 'identity.unlinked' && a.subject === linked.identity.id,
    );
    expect(audit?.actor).toBe('sam');
    // Another customer's identity id is refused.
    await expect(
      sys.rpc.request(RouterRequests.unlinkIdentity, {
        customerId: ctx.customer.id,
        identityId: linked.identity.id,
        actorId: 'sam',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'IDENTITY.NOT_FOUND' });
  });

  it('a ported number does not inherit: the bank gives it to another customer, the old link goes', async () => {
    const giuliaConv = await send('sms', GIULIA_PHONE, 'la mia carta è bloccata');
    const giuliaCtx = await context(giuliaConv);
    expect(giuliaCtx.customer.displayName).toBe('Giulia Rossi');
    const oldLink = (await get(IdentitiesRepository).findActive('sms', GIULIA_PHONE))!;
    expect(oldLink.identity.linkMethod).toBe('bank_verified_phone');

    // Giulia moves to a new number; her old one is recycled to Marco.
    bank().setPhone(bank().customer(SEED_IDS.giulia)!, '+393470000009');
    bank().setPhone(bank().customer(SEED_IDS.marco)!, GIULIA_PHONE);
    const port = get(CoreBankingPort);
    await pollUntil(
      async () => (await port.findCustomerByPhone(GIULIA_PHONE))?.id === SEED_IDS.marco,
      {
        what: "the router's cache to see the new holder",
      },
    );

    const newConv = await send('sms', GIULIA_PHONE, 'buongiorno, ho un nuovo numero');
    expect(newConv).not.toBe(giuliaConv);
    const ctx = await context(newConv);
    expect(ctx.customer.displayName).toBe('Marco Bianchi');
    expect(ctx.customer.id).not.toBe(giuliaCtx.customer.id);
    const giuliaCardIds = new Set(giuliaCtx.cards.map((c) => c.id));
    expect(ctx.cards.some((c) => giuliaCardIds.has(c.id))).toBe(false);
    expect(
      ctx.recentTransactions.some((t) => giuliaCtx.recentTransactions.some((g) => g.id === t.id)),
    ).toBe(false);
    expect((await get(IdentitiesRepository).get(oldLink.identity.id))?.identity.status).toBe(
      'revoked',
    );
    const audit = (await get(AuditLogRepository).recent(30)).find(
      (a) => a.action === 'identity.revoked' && a.subject === oldLink.identity.id,
    );
    expect(audit?.detail).toMatchObject({ reason: 'number_reassigned', channel: 'sms' });
  });

  it('a recycled number the bank gives to nobody becomes a new contact with no customer data', async () => {
    const phone = '+447911123456'; // Oliver's verified phone
    const oliverConv = await send('sms', phone, 'hello');
    expect((await context(oliverConv)).customer.displayName).toBe('Oliver Bennett');
    bank().setPhone(bank().customer(SEED_IDS.oliver)!, '+447911000001');
    const port = get(CoreBankingPort);
    await pollUntil(async () => (await port.findCustomerByPhone(phone)) === null, {
      what: "the router's cache to forget the number",
    });
    const conv = await send('sms', phone, 'hi, new phone who dis');
    const ctx = await context(conv);
    expect(ctx.customer.verified).toBe(false);
    expect(ctx.cards).toEqual([]);
    expect(ctx.recentTransactions).toEqual([]);
  });

  it('a SIM swap lowers phone-based links to none and drops the session assurance; a phone change revokes', async () => {
    const phone = '+393331122334'; // Chiara's verified phone
    await send('whatsapp', phone, 'ciao');
    const link = (await get(IdentitiesRepository).findActive('whatsapp', phone))!;
    expect(link.identity.assurance).toBe('possession');
    const assurance = get(AssuranceService);
    await assurance.raise(link.customer.id, {
      level: 'strong',
      reachedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      source: 'test',
      channel: 'inapp',
    });
    // A strong login counts in the app only (issue 13 item 2).
    expect((await assurance.current(link.customer.id, Date.now(), 'inapp')).level).toBe('strong');

    const trust = get(IdentityTrustService);
    expect(await trust.onSimSwap(SEED_IDS.chiara)).toEqual({ lowered: 1 });
    expect((await get(IdentitiesRepository).get(link.identity.id))?.identity.assurance).toBe(
      'none',
    );
    expect((await assurance.current(link.customer.id, Date.now(), 'inapp')).level).not.toBe(
      'strong',
    );

    bank().setPhone(bank().customer(SEED_IDS.chiara)!, '+393330000007');
    expect(await trust.onPhoneChanged(SEED_IDS.chiara)).toEqual({ revoked: 1 });
    expect((await get(IdentitiesRepository).get(link.identity.id))?.identity.status).toBe(
      'revoked',
    );
  });
});
