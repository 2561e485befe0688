import { randomUUID } from 'node:crypto';
import hoodiecrow from 'hoodiecrow-imap';
import type { HoodiecrowServer } from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import type { MessageView } from '@omnigate/contracts';
import { freePort, pollUntil } from '@omnigate/testing';
import { bootstrap as startEmail } from '../../apps/gateway-email/src/bootstrap';
import {
  WITHOUT_BOT,
  agentLogin,
  api,
  conversationNamed,
  injectSms,
  json,
  startSystem,
} from './system.harness';
import type { System } from './system.harness';

const GIULIA = { email: 'giulia.rossi@example.it', phone: '+393471234567', name: 'Giulia Rossi' };
const SUPPORT = 'support@bank.example';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20)]);

interface Timeline {
  conversation: {
    id: string;
    channels: string[];
    customer: { displayName: string; verified: boolean };
  };
  messages: MessageView[];
}

interface SinkMessage {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  to: string[];
  subject: string;
  text: string;
}

async function sandboxMail(
  sys: System,
  body: Record<string, unknown>,
): Promise<{ accepted: boolean }> {
  const res = await fetch(`${sys.urls.sandbox}/sandbox/email/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: SUPPORT, dkim: true, ...body }),
  });
  return json(res);
}

async function sinkGot(sys: System, text: string): Promise<SinkMessage> {
  return pollUntil(
    async () =>
      (
        await json<{ messages: SinkMessage[] }>(
          await fetch(`${sys.urls.sandbox}/sandbox/email/messages`),
        )
      ).messages.find((m) => m.text.includes(text)),
    { what: 'the agent’s reply at the SMTP sink', timeoutMs: 15_000 },
  );
}

function timelineWith(
  console_: ReturnType<typeof api>,
  id: string,
  what: string,
  ok: (t: Timeline) => boolean,
) {
  return pollUntil(
    async () => {
      const t = await json<Timeline>(await console_.get(`/api/conversations/${id}`));
      return ok(t) ? t : undefined;
    },
    { what, timeoutMs: 15_000 },
  );
}

async function conversationOf(console_: ReturnType<typeof api>, name: string): Promise<string> {
  return (await conversationNamed(console_, name)).id;
}

// database-incidental: email's wiring across the apps (SMTP and IMAP in, threading, sealed
// attachments); the router's intake and dedupe and the console's download are tested on both
// databases by their integration tests and router-crash.

describe('email end to end: SMTP in, agent reply out, the customer’s answer in the same conversation', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ env: WITHOUT_BOT });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('carries Giulia’s mail with an attachment to her one conversation and threads the replies', async () => {
    const console_ = api(sys, await agentLogin(sys));
    // She wrote by SMS first: the email must land in that same conversation.
    await injectSms(sys, GIULIA.phone, 'Buongiorno, la mia carta è bloccata');
    const conversationId = await conversationOf(console_, GIULIA.name);

    const first = `<${randomUUID()}@mail.example.it>`;
    expect(
      await sandboxMail(sys, {
        from: GIULIA.email,
        fromName: GIULIA.name,
        subject: 'Estratto conto',
        text: 'Vi mando l’estratto conto con il movimento che non riconosco.',
        messageId: first,
        attachments: [
          {
            filename: 'estratto.pdf',
            contentType: 'application/pdf',
            contentBase64: PDF.toString('base64'),
          },
        ],
      }),
    ).toMatchObject({ accepted: true });
    const withMail = await timelineWith(
      console_,
      conversationId,
      'the email in the conversation',
      (t) => t.messages.some((m) => m.channel === 'email'),
    );
    expect(withMail.conversation.customer).toMatchObject({
      displayName: GIULIA.name,
      verified: true,
    });
    const mail = withMail.messages.find((m) => m.channel === 'email')!;
    expect(mail.text).toBe(
      'Estratto conto\n\nVi mando l’estratto conto con il movimento che non riconosco.',
    );
    expect(mail.attachments).toEqual([
      expect.objectContaining({
        mimeType: 'application/pdf',
        size: PDF.length,
        filename: 'estratto.pdf',
        ref: expect.stringMatching(/^att:/) as unknown,
      }),
    ]);
    expect(mail.flags).toBeUndefined();
    // Sealed at the edge, taken in by the router: the console serves the very bytes she sent.
    const download = await console_.get(
      `/api/conversations/${conversationId}/messages/${mail.id}/attachments/0`,
    );
    expect(download.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), PDF)).toBe(0);

    // The agent answers by email: threaded under her mail.
    const r = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Buongiorno Giulia, abbiamo ricevuto l’estratto.',
      channel: 'email',
    });
    expect(r.status).toBe(201);
    const sent = await sinkGot(sys, 'abbiamo ricevuto l’estratto');
    expect(sent).toMatchObject({
      to: [GIULIA.email],
      subject: 'Re: Estratto conto',
      inReplyTo: first,
      references: [first],
    });

    // Her answer to our mail lands in the same conversation.
    const answer = `<${randomUUID()}@mail.example.it>`;
    await sandboxMail(sys, {
      from: GIULIA.email,
      subject: 'Re: Estratto conto',
      text: `Grazie mille.\n\nIl giorno lun 23 nov 2026 Assistenza <${SUPPORT}> ha scritto:\n> Buongiorno Giulia`,
      messageId: answer,
      inReplyTo: sent.messageId,
      references: [...sent.references, sent.messageId],
    });
    const after = await timelineWith(console_, conversationId, 'her answer', (t) =>
      t.messages.some((m) => m.text === 'Grazie mille.'),
    );
    expect(after.messages.map((m) => [m.channel, m.direction])).toEqual([
      ['sms', 'inbound'],
      ['email', 'inbound'],
      ['email', 'outbound'],
      ['email', 'inbound'],
    ]);
  });

  it('never links a sender that fails DMARC, and shows the agent a warning', async () => {
    const console_ = api(sys, await agentLogin(sys));
    // Oliver's domain does not let 127.0.0.1 send, and the mail is not signed: a spoof.
    await sandboxMail(sys, {
      from: 'oliver.bennett@example.co.uk',
      fromName: 'Oliver Bennett',
      subject: 'Urgent',
      text: 'Please unblock my card now',
      dkim: false,
    });
    const conversationId = await conversationOf(console_, 'Oliver Bennett');
    const t = await timelineWith(
      console_,
      conversationId,
      'the spoofed mail',
      (x) => x.messages.length > 0,
    );
    expect(t.conversation.customer.verified).toBe(false);
    expect(t.messages[0]!.flags).toEqual(['email_dmarc_fail']);

    // An unlinked sender's answer to our reply still lands in the same conversation.
    const r = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Could you confirm from the bank app, please?',
      channel: 'email',
    });
    expect(r.status).toBe(201);
    const sent = await sinkGot(sys, 'confirm from the bank app');
    await sandboxMail(sys, {
      from: 'oliver.bennett@example.co.uk',
      subject: 'Re: Urgent',
      text: 'No time, just do it',
      inReplyTo: sent.messageId,
      dkim: false,
    });
    const after = await timelineWith(
      console_,
      conversationId,
      'the unlinked sender’s answer',
      (x) => x.messages.some((m) => m.text === 'No time, just do it'),
    );
    expect(after.messages.map((m) => [m.direction, m.flags ?? []])).toEqual([
      ['inbound', ['email_dmarc_fail']],
      ['outbound', []],
      ['inbound', ['email_dmarc_fail']],
    ]);
  });
});

describe('email end to end over IMAP (hoodiecrow), across a gateway restart, without duplicates', () => {
  let sys: System;
  let imap: HoodiecrowServer;
  let imapPort: number;

  beforeAll(async () => {
    imapPort = await freePort();
    imap = hoodiecrow({
      plugins: ['IDLE', 'UIDPLUS', 'ENABLE', 'ID'],
      storage: { INBOX: { messages: [] } },
    });
    await new Promise<void>((r) => imap.listen(imapPort, '127.0.0.1', r));
    sys = await startSystem({
      env: {
        ...WITHOUT_BOT,
        EMAIL_INBOUND: 'imap',
        EMAIL_IMAP_HOST: '127.0.0.1',
        EMAIL_IMAP_PORT: String(imapPort),
        EMAIL_IMAP_SECURE: 'false',
        EMAIL_IMAP_USER: 'testuser',
        EMAIL_IMAP_PASS: 'testpass',
        EMAIL_IMAP_POLL_MS: '300',
      },
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await new Promise<void>((r) => imap?.close(() => r()));
  });

  /** A customer's mail as the mailbox provider's MTA stores it: DKIM-signed, with its Received line. */
  async function deliver(over: {
    messageId: string;
    subject: string;
    text: string;
    inReplyTo?: string;
    references?: string[];
  }) {
    const build = createTransport({ streamTransport: true, buffer: true });
    const info = (await build.sendMail({
      from: `${GIULIA.name} <${GIULIA.email}>`,
      to: SUPPORT,
      ...over,
      dkim: {
        domainName: 'example.it',
        keySelector: 's1',
        privateKey: sys.secrets.emailDkimPrivateKey,
      },
    })) as { message: Buffer };
    const raw =
      `Received: from mx.example.it (mx.example.it [127.0.0.1]) by imap.bank.example; ${new Date().toUTCString()}\r\n` +
      info.message.toString('utf8');
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: imapPort,
      secure: false,
      auth: { user: 'testuser', pass: 'testpass' },
      logger: false,
    });
    await client.connect();
    await client.append('INBOX', raw);
    await client.logout();
  }

  it('reads her mail, threads the reply, survives a restart and never duplicates', async () => {
    const console_ = api(sys, await agentLogin(sys));
    const first = `<${randomUUID()}@mail.example.it>`;
    await deliver({ messageId: first, subject: 'Bonifico', text: 'Il bonifico non è arrivato' });
    const conversationId = await conversationOf(console_, GIULIA.name);

    const r = await console_.post(`/api/conversations/${conversationId}/messages`, {
      text: 'Controllo il bonifico.',
      channel: 'email',
    });
    expect(r.status).toBe(201);
    const sent = await sinkGot(sys, 'Controllo il bonifico.');
    expect(sent).toMatchObject({ inReplyTo: first, subject: 'Re: Bonifico' });

    // The gateway restarts; mail keeps arriving in the mailbox.
    await sys.apps['gateway-email']!.close();
    const answer = `<${randomUUID()}@mail.example.it>`;
    await deliver({
      messageId: answer,
      subject: 'Re: Bonifico',
      text: 'Grazie',
      inReplyTo: sent.messageId,
      references: [first, sent.messageId],
    });
    sys.apps['gateway-email'] = await startEmail(sys.env);

    const t = await timelineWith(console_, conversationId, 'her answer after the restart', (x) =>
      x.messages.some((m) => m.text === 'Grazie'),
    );
    expect(t.conversation.customer).toMatchObject({ displayName: GIULIA.name, verified: true });
    expect(t.messages.map((m) => [m.direction, m.text])).toEqual([
      ['inbound', 'Bonifico\n\nIl bonifico non è arrivato'],
      ['outbound', 'Controllo il bonifico.'],
      ['inbound', 'Grazie'],
    ]);
  });
});
