import { createHash, randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { JsonLogger, KitModule } from '@omnigate/kit';
import {
  AuditLogRepository,
  EmailAttachmentsRepository,
  IdentitiesRepository,
  MessagesRepository,
  RouterStoreModule,
} from '@omnigate/store';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const PDF = Buffer.from('%PDF-1.4\n% estratto conto di prova\n%%EOF\n');

describe('console: attachments by link', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let conversationId: string;
  let messageId: string;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    // bob serves onboarding only; new conversations wait in general.
    h = await startConsole({ CONSOLE_AGENT_QUEUES: 'bob:onboarding' });
    mod = await Test.createTestingModule({
      imports: [KitModule, RouterStoreModule.forRoot(h.db.config)],
    })
      .setLogger(new JsonLogger('seed', 'warn'))
      .compile();
    await mod.init();
    const link = await mod.get(IdentitiesRepository).link({
      channel: 'email',
      address: 'giulia.rossi@example.it',
      coreRef: 'C-200',
      displayName: 'Giulia Rossi',
      linkMethod: 'bank_verified_email',
      assurance: 'possession',
    });
    const attachmentId = randomUUID();
    await mod.get(EmailAttachmentsRepository).insert({
      id: attachmentId,
      content: PDF,
      mimeType: 'application/pdf',
      sha256: createHash('sha256').update(PDF).digest('hex'),
      filename: 'estratto conto.pdf',
    });
    const appended = await mod.get(MessagesRepository).appendInbound({
      customerId: link.customer.id,
      channel: 'email',
      address: 'giulia.rossi@example.it',
      ourAddress: 'assistenza@bank.example',
      kind: 'text',
      body: 'Vi allego l’estratto conto',
      attachments: [
        {
          kind: 'document',
          mimeType: 'application/pdf',
          size: PDF.length,
          sha256: createHash('sha256').update(PDF).digest('hex'),
          ref: `att:${attachmentId}`,
          filename: 'estratto conto.pdf',
        },
        { kind: 'image', mimeType: 'image/jpeg', size: 10, sha256: null, ref: 'tg:file:AgACAgQ' },
      ],
      providerMessageId: randomUUID(),
      dedupeKey: `email:${randomUUID()}`,
      clientMsgId: null,
      receivedAt: new Date(),
    });
    conversationId = appended.conversation.id;
    messageId = appended.message.id;
    alice = await h.login('alice');
    bob = await h.login('bob');
  });
  afterAll(async () => {
    await mod?.close();
    await h?.stop();
  });

  const path = (i: string | number, conv = conversationId, msg = messageId) =>
    `/api/conversations/${conv}/messages/${msg}/attachments/${i}`;

  it('serves a stored file as a download, decrypted, and audits the view', async () => {
    const res = await h.call('GET', path(0), { token: alice });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="estratto conto\.pdf"/,
    );
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const audit = await mod.get(AuditLogRepository).recent(5);
    expect(audit.find((a) => a.action === 'attachment.view')).toMatchObject({
      actor: 'alice',
      subject: conversationId,
    });
  });

  it('says why when the file is not ours to serve, or not there', async () => {
    const provider = await errorOf(await h.call('GET', path(1), { token: alice }));
    expect(provider).toMatchObject({ status: 404, code: 'CONSOLE.ATTACHMENT_NOT_FOUND' });
    expect(provider.message).toContain('held by the provider');
    expect(await errorOf(await h.call('GET', path(2), { token: alice }))).toMatchObject({
      status: 404,
      message: `message ${messageId} has no attachment 2`,
    });
    const elsewhere = randomUUID();
    expect(
      (await errorOf(await h.call('GET', path(0, conversationId, elsewhere), { token: alice })))
        .status,
    ).toBe(404);
    expect((await errorOf(await h.call('GET', path('x'), { token: alice }))).status).toBe(400);
    expect((await h.call('GET', path(0))).status).toBe(401);
  });

  it('refuses an agent outside the conversation’s queue (403)', async () => {
    const refused = await errorOf(await h.call('GET', path(0), { token: bob }));
    expect(refused).toMatchObject({ status: 403, code: 'CONSOLE.QUEUE_FORBIDDEN' });
  });
});
