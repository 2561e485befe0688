import type { MessageView } from '@omnigate/contracts';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { KitModule, databaseConfigFrom } from '@omnigate/kit';
import { EmailAttachmentsRepository, RouterStoreModule, openDatabase } from '@omnigate/store';
import { containsPan, dumpDatabase, dumpStreams, pollUntil, streamNames } from '@omnigate/testing';
import {
  agentLogin,
  api,
  appToken,
  connect,
  conversationNamed,
  injectSms,
  json,
  startSystem,
} from './system.harness';
import type { System } from './system.harness';

const GIULIA = { phone: '+393471234567', name: 'Giulia Rossi' };
const MARCO = { appUserId: 'app-marco', name: 'Marco Bianchi' };
const PAN = '4111 1111 1111 1111';
const GIULIA_TEXT = 'Buongiorno, la mia carta risulta bloccata da ieri sera';
const MARCO_TEXT = 'Ciao, vorrei contestare un addebito di ieri';
const ATTACHMENT_TEXT = 'Contratto riservato di Giulia: IBAN IT60X0542811101000000123456';

interface Summary {
  id: string;
  customer: { id: string; displayName: string | null };
}
interface Timeline {
  conversation: Summary;
  messages: MessageView[];
}

describe('data protection: encryption at rest, card vault, export and erasure', () => {
  let sys: System;
  let agent: ReturnType<typeof api>;
  let dpo: ReturnType<typeof api>;
  let supervisor: ReturnType<typeof api>;

  const conversationOf = (name: string): Promise<Summary> => conversationNamed(agent, name);
  const timeline = async (id: string) =>
    json<Timeline>(await agent.get(`/api/conversations/${id}`));

  beforeAll(async () => {
    sys = await startSystem();
    agent = api(sys, await agentLogin(sys));
    dpo = api(sys, await agentLogin(sys, 'dora', sys.secrets.dpoPassword));
    supervisor = api(sys, await agentLogin(sys, 'sam', sys.secrets.supervisorPassword));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('stores no message text, personal field or card number in clear, yet the agent reads them', async () => {
    expect((await injectSms(sys, GIULIA.phone, `${GIULIA_TEXT}: ${PAN}`)).status).toBe(200);
    const app = await connect(sys.urls.inapp, await appToken(sys, MARCO.appUserId));
    try {
      const ack = (await app
        .timeout(5000)
        .emitWithAck('message', { clientMsgId: 'dp-1', text: MARCO_TEXT })) as { ok: boolean };
      expect(ack.ok).toBe(true);
    } finally {
      app.close();
    }
    // An email from Giulia (DKIM-signed by the sandbox: DMARC passes) with an attachment.
    const mail = await fetch(`${sys.urls.sandbox}/sandbox/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        to: 'support@bank.example',
        dkim: true,
        from: 'giulia.rossi@example.it',
        subject: 'Contratto',
        text: 'Vi mando il contratto firmato.',
        messageId: `<${randomUUID()}@mail.example.it>`,
        attachments: [
          {
            filename: 'contratto.txt',
            contentType: 'text/plain',
            contentBase64: Buffer.from(ATTACHMENT_TEXT).toString('base64'),
          },
        ],
      }),
    });
    expect(await json(mail)).toMatchObject({ accepted: true });
    const giulia = await conversationOf(GIULIA.name);
    await conversationOf(MARCO.name);
    // Her email itself (the bot's answer to her SMS also makes two messages: under load it came
    // first, and the tests below found no email identity and no attachment).
    await pollUntil(
      async () =>
        (await timeline(giulia.id)).messages.some(
          (m) => m.direction === 'inbound' && m.channel === 'email',
        ),
      { what: 'the email in her conversation' },
    );
    const [first] = (await timeline(giulia.id)).messages;
    expect(first!.text).toContain(GIULIA_TEXT);
    expect(first!.text).toMatch(/\[card visa \*\*\*\*1111 ref_[a-p]{20}\]/);

    const dump = await dumpDatabase(sys.db.config);
    expect(dump).toContain('data_keys'); // the dump did read the tables
    for (const secret of [
      ATTACHMENT_TEXT,
      'IT60X0542811101000000123456',
      'giulia.rossi@example.it',
      'Contratto',
      'contratto.txt',
      GIULIA_TEXT,
      MARCO_TEXT,
      'la mia carta',
      GIULIA.phone,
      '3471234567',
      GIULIA.name,
      MARCO.name,
      'app-marco',
    ]) {
      expect(dump.includes(secret) ? secret : null).toBeNull();
    }
    expect(containsPan(dump, PAN)).toBe(false);
  });

  it('reveals the card behind a reference to a supervisor, from the vault, with the reason audited', async () => {
    const giulia = await conversationOf(GIULIA.name);
    const ref = /ref_[a-p]{20}/.exec((await timeline(giulia.id)).messages[0]!.text)![0];
    const asAgent = await agent.post(`/api/cards/${ref}/reveal`, { reason: 'customer asked' });
    expect(asAgent.status).toBe(403);
    expect(await json(asAgent)).toMatchObject({ error: { code: 'CONSOLE.ROLE_FORBIDDEN' } });
    expect((await supervisor.post(`/api/cards/${ref}/reveal`, {})).status).toBe(400);
    expect(
      (await supervisor.post('/api/cards/not-a-token/reveal', { reason: 'x'.repeat(10) })).status,
    ).toBe(400);
    // The gateway published the sealed card before the message; the vault may still be taking it in.
    const res = await pollUntil(
      async () => {
        const r = await supervisor.post(`/api/cards/${ref}/reveal`, { reason: 'chargeback form' });
        return r.status === 404 ? null : r;
      },
      { what: 'the vault to know the card' },
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ pan: '4111111111111111', brand: 'visa', last4: '1111' });
    const audit = await json<{
      chainBrokenAt: number | null;
      entries: Array<{ actor: string; action: string; subject: string }>;
    }>(await dpo.get('/api/audit'));
    expect(audit.chainBrokenAt).toBeNull();
    expect(audit.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'sam', action: 'card.reveal', subject: ref }),
      ]),
    );
  });

  it('on PostgreSQL, every app with tables is logged in as its own role (gateways not at all)', async () => {
    if (sys.db.kind !== 'postgres') {
      // Embedded PGlite is one session in one process: the roles' grants are checked with SET
      // ROLE in libs/store/test/db-roles.int-spec.ts.
      expect(sys.db.kind).toBe('pglite');
      return;
    }
    const database = await openDatabase(sys.db.config);
    try {
      const res: unknown = await database.db.execute(
        `SELECT DISTINCT usename FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      const users = (res as { rows: Array<{ usename: string }> }).rows.map((r) => r.usename);
      // The router and console pools, and the vault's (it stored the card above): nobody else.
      expect(users.sort()).toEqual(['omnigate_console', 'omnigate_router', 'omnigate_vault']);
    } finally {
      await database.close();
    }
  });

  it('exports everything held on a customer, decrypted, to a dpo only', async () => {
    const giulia = await conversationOf(GIULIA.name);
    expect((await agent.get(`/api/customers/${giulia.customer.id}/export`)).status).toBe(403);
    expect((await dpo.get('/api/customers/not-a-uuid/export')).status).toBe(400);
    expect(
      (await dpo.get('/api/customers/00000000-0000-4000-8000-000000000000/export')).status,
    ).toBe(404);
    const bundle = await json<{
      format: string;
      erased: boolean;
      customer: { displayName: string };
      identities: Array<{ channel: string; address: string }>;
      messages: Array<{ text: string; channel: string }>;
      facts: Array<{ key: string; value: string }>;
      consents: unknown[];
      identityProofs: unknown[];
      vaultCards: Array<{ ref: string; token: string; brand: string; last4: string }>;
    }>(await dpo.get(`/api/customers/${giulia.customer.id}/export`));
    // Her card as the vault keeps it, masked: reference, token, brand, last four; never the number.
    const ref = /ref_[a-p]{20}/.exec(bundle.messages[0]!.text)![0];
    expect(bundle.vaultCards).toEqual([
      {
        ref,
        token: expect.stringMatching(/^vtk_[a-p]{32}$/) as string,
        brand: 'visa',
        last4: '1111',
      },
    ]);
    expect(containsPan(JSON.stringify(bundle), PAN)).toBe(false);
    expect(Array.isArray(bundle.consents) && Array.isArray(bundle.identityProofs)).toBe(true);
    // What she told the bot ("da ieri sera") is held, sealed, and exported opened.
    expect(bundle.facts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'date',
          value: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string,
        }),
      ]),
    );
    expect(bundle).toMatchObject({
      format: 'omnigate.customer-export.v1',
      erased: false,
      customer: { displayName: GIULIA.name },
    });
    expect(bundle.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'sms', address: GIULIA.phone }),
        expect.objectContaining({ channel: 'email', address: 'giulia.rossi@example.it' }),
      ]),
    );
    expect(bundle.messages[0]!.channel).toBe('sms');
    expect(bundle.messages[0]!.text).toContain(GIULIA_TEXT);
  });

  it('erasure shreds the customer: messages unreadable, export empty, other customers untouched', async () => {
    const giulia = await conversationOf(GIULIA.name);
    const marco = await conversationOf(MARCO.name);
    expect(
      (await agent.post(`/api/customers/${giulia.customer.id}/erasure`, { reason: 'GDPR art. 17' }))
        .status,
    ).toBe(403);
    expect((await dpo.post(`/api/customers/${giulia.customer.id}/erasure`, {})).status).toBe(400);

    const before = await timeline(giulia.id);
    const attachmentRef = before.messages.flatMap((m) => m.attachments)[0]!.ref;
    expect(attachmentRef).toMatch(/^att:/);
    const readAttachment = async () => {
      const mod = await Test.createTestingModule({
        imports: [KitModule, RouterStoreModule.forRoot(databaseConfigFrom(sys.env as never))],
      }).compile();
      await mod.init();
      try {
        return await mod.get(EmailAttachmentsRepository).get(attachmentRef.slice(4));
      } finally {
        await mod.close();
      }
    };
    expect((await readAttachment())!.content.toString()).toBe(ATTACHMENT_TEXT);

    const cardRef = /ref_[a-p]{20}/.exec(before.messages[0]!.text)![0];
    // Every stream on the server, subjects and bodies: the message streams, KV buckets, objects.
    const onTheBus = async () =>
      (await dumpStreams(sys.nats.url, await streamNames(sys.nats.url))).join('\n');
    expect(await onTheBus()).toContain(GIULIA.phone);

    const res = await dpo.post(`/api/customers/${giulia.customer.id}/erasure`, {
      reason: 'GDPR art. 17 request',
    });
    expect(res.status).toBe(200);
    const result = await json<{ streamMessagesDeleted: number }>(res);
    expect(result).toMatchObject({
      identitiesRevoked: 2,
      conversationsClosed: 1,
      vaultRefsErased: 1,
      vaultCardsErased: 1,
    });
    expect(result.streamMessagesDeleted).toBeGreaterThan(0);

    // ATTACK: read every stream raw (a probe connection): nothing of hers is left on the bus.
    const bus = await onTheBus();
    expect(bus).toContain(MARCO_TEXT); // the probe did read the streams; Marco's traffic stays
    for (const secret of [
      GIULIA.phone,
      '3471234567',
      'giulia.rossi@example.it',
      GIULIA.name,
      GIULIA_TEXT,
      'la mia carta',
      'Vi mando il contratto',
      cardRef,
      giulia.id,
    ]) {
      expect(bus.includes(secret) ? secret : null).toBeNull();
    }
    // ATTACK: the vault forgot her card: a supervisor's reveal of her reference finds nothing.
    const reveal = await supervisor.post(`/api/cards/${cardRef}/reveal`, {
      reason: 'after the erasure',
    });
    expect(reveal.status).toBe(404);

    const after = await timeline(giulia.id);
    expect(after.messages[0]!.text).toBe('[erased]');
    // The attachment had its own key, destroyed with her: it cannot be read any more.
    expect(await readAttachment()).toBeNull();
    expect(after.conversation.customer.displayName).toBeNull();
    const bundle = await json<{ erased: boolean; messages: unknown[]; identities: unknown[] }>(
      await dpo.get(`/api/customers/${giulia.customer.id}/export`),
    );
    expect(bundle).toMatchObject({ erased: true, messages: [], identities: [], facts: [] });
    // Marco is untouched.
    expect((await timeline(marco.id)).messages[0]!.text).toBe(MARCO_TEXT);
    // The same phone writing again is a new, separate conversation: nothing of the old one leaks.
    expect((await injectSms(sys, GIULIA.phone, 'sono di nuovo io')).status).toBe(200);
    const fresh = await conversationNamed(
      agent,
      GIULIA.name,
      (c) => c.id !== giulia.id && c.status === 'open',
    );
    // Only the customer's new message (the bot's reply may or may not be stored yet).
    const freshMessages = (await timeline(fresh.id)).messages;
    expect(freshMessages.filter((m) => m.direction === 'inbound').map((m) => m.text)).toEqual([
      'sono di nuovo io',
    ]);
    expect(freshMessages.map((m) => m.text).join('\n')).not.toContain(GIULIA_TEXT);
    const audit = await json<{ entries: Array<{ action: string; subject: string }> }>(
      await dpo.get('/api/audit'),
    );
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['customer.erase', 'customer.export']),
    );
  });
});
