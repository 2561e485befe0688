import { randomUUID } from 'node:crypto';
import { pollUntil } from '@omnigate/testing';
import {
  SUPPORT,
  publishOutbound,
  readSubject,
  sendMail,
  sinkMessages,
  startEmailSystem,
  waitInbound,
  waitStatus,
} from './email-test-system';
import type { EmailSystem, SinkMessage } from './email-test-system';
import type { DeliveryStatusV1 } from '@omnigate/contracts';
import { EmailThreadsStore } from '../src/threading/email-threads.store';

const GIULIA = 'giulia.rossi@example.it';
const mid = () => `<${randomUUID()}@mail.example.it>`;

function sinkGot(sys: EmailSystem, to: string, text: string): Promise<SinkMessage> {
  return pollUntil(
    async () => (await sinkMessages(sys)).find((m) => m.to.includes(to) && m.text.includes(text)),
    {
      timeoutMs: 15_000,
      what: `mail to ${to} at the sink`,
    },
  );
}

async function refuse(
  sys: EmailSystem,
  address: string,
  code: number,
  message: string,
): Promise<void> {
  const res = await fetch(`${sys.sandboxUrl}/sandbox/email/refusals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address, code, message }),
  });
  expect(res.status).toBe(204);
}

describe('gateway-email outbound: msg.out.v1.email → SMTP (nodemailer) → the sandbox sink', () => {
  let sys: EmailSystem;

  beforeAll(async () => {
    sys = await startEmailSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('threads the reply under the customer’s last mail, and the customer’s answer finds the conversation', async () => {
    const first = mid();
    const references = ['<root@mail.example.it>'];
    await sendMail(sys, {
      from: GIULIA,
      subject: 'Carta bloccata',
      text: 'Aiuto',
      messageId: first,
      references,
      dkim: true,
    });
    await waitInbound(sys, first);

    const conversationId = randomUUID();
    const out = await publishOutbound(sys, GIULIA, 'Buongiorno Giulia, verifico subito.', {
      conversationId,
    });
    const sent = await sinkGot(sys, GIULIA, 'verifico subito');
    expect(sent).toMatchObject({
      from: SUPPORT,
      replyTo: `support+${conversationId}@bank.example`,
      subject: 'Re: Carta bloccata',
      inReplyTo: first,
      references: ['<root@mail.example.it>', first],
    });
    expect(sent.messageId).toMatch(/^<[0-9a-f-]{36}@bank\.example>$/);
    const status = await waitStatus(sys, out.messageId, 'sent');
    expect(status.providerMessageId).toBe(sent.messageId);

    // The customer answers our mail: In-Reply-To carries our Message-ID.
    const answer = mid();
    await sendMail(sys, {
      from: GIULIA,
      subject: 'Re: Carta bloccata',
      text: 'Grazie!\n\nOn Mon, 23 Nov 2026 Support <support@bank.example> wrote:\n> Buongiorno Giulia',
      messageId: answer,
      inReplyTo: sent.messageId!,
      references: [...sent.references, sent.messageId!],
      dkim: true,
    });
    const reply = await waitInbound(sys, answer);
    expect(reply.meta).toMatchObject({
      threadConversationId: conversationId,
      threadMatch: 'in_reply_to',
    });
    expect(reply.text).toBe('Grazie!');
  });

  it('finds the conversation by the plus-address when a client dropped the headers', async () => {
    const conversationId = randomUUID();
    const id = mid();
    await sendMail(sys, {
      from: GIULIA,
      to: `support+${conversationId}@bank.example`,
      subject: 'ancora io',
      text: 'senza intestazioni',
      messageId: id,
      dkim: true,
    });
    expect((await waitInbound(sys, id)).meta).toMatchObject({
      threadConversationId: conversationId,
      threadMatch: 'plus_address',
    });
  });

  it('a 5xx at send becomes a failed status with the reason, sent once', async () => {
    const to = 'nobody@example.it';
    await refuse(sys, to, 550, '5.1.1 <nobody@example.it>: user unknown');
    const out = await publishOutbound(sys, to, 'Hello');
    const failed = await waitStatus(sys, out.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'SMTP.550',
      reason: expect.stringMatching(
        /^The mail server refused the message \(550\): .*user unknown/,
      ) as unknown,
    });
    expect(failed.error!.reason).not.toContain('nobody@example.it');
  });

  it('a 4xx is retried until the server takes the mail', async () => {
    const to = 'busy@example.it';
    await refuse(sys, to, 452, '4.2.2 mailbox full');
    const out = await publishOutbound(sys, to, 'Retry me');
    await pollUntil(
      () => sys.logs.some((l) => l.includes(out.messageId) && l.includes('"outcome":"retry"')),
      {
        what: 'a retried send',
      },
    );
    await fetch(`${sys.sandboxUrl}/sandbox/email/reset`, { method: 'POST' });
    await sinkGot(sys, to, 'Retry me');
    await waitStatus(sys, out.messageId, 'sent');
    const statuses = await readSubject<DeliveryStatusV1>(sys, 'MSG_STATUS', 'msg.status.v1.email');
    expect(statuses.filter((s) => s.messageId === out.messageId).map((s) => s.state)).toEqual([
      'sent',
    ]);
  });

  it('a bounce (DSN) naming our Message-ID becomes a failed status of that message', async () => {
    const to = 'gone@example.it';
    const out = await publishOutbound(sys, to, 'Will bounce');
    const sent = await sinkGot(sys, to, 'Will bounce');
    await waitStatus(sys, out.messageId, 'sent');
    const boundary = 'dsn-boundary';
    const raw = [
      'From: Mail Delivery System <mailer-daemon@mx.example.it>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.example.it>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.it',
      '',
      `Final-Recipient: rfc822; ${to}`,
      'Action: failed',
      'Status: 5.1.1',
      `Diagnostic-Code: smtp; 550 5.1.1 <${to}>: mailbox does not exist`,
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `From: ${SUPPORT}`,
      `To: ${to}`,
      `Message-ID: ${sent.messageId}`,
      'Subject: Assistenza clienti / Customer support',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await sendMail(sys, { from: 'mailer-daemon@mx.example.it', envelopeFrom: '', raw });
    expect(res.accepted).toBe(true);
    const failed = await waitStatus(sys, out.messageId, 'failed');
    expect(failed.error).toEqual({
      code: 'EMAIL.BOUNCED',
      reason:
        "The recipient's mail server returned the message (5.1.1): 550 5.1.1 <address>: mailbox does not exist",
    });
    // The gateway's own record (NATS KV) keeps our Message-ID for the conversation (what the
    // bounce was matched by); the sent ledger makes a redelivery report, never send again.
    expect(await sys.gateway.app.get(EmailThreadsStore).outbound(out.messageId)).toEqual({
      messageId: sent.messageId,
      conversationId: out.conversationId,
    });
    expect(await sys.redeliver(out)).toBe('already_sent');
    const copies = (await sinkMessages(sys)).filter((m) => m.messageId === sent.messageId);
    expect(copies).toHaveLength(1);
  });

  it('honours the customer’s opt-out (the router’s consent event, a STOP mail): not sent, failed with the reason', async () => {
    const marco = 'Marco.Bianchi@example.it';
    await sys.publishConsent([marco], [{ purpose: 'marketing', granted: false }], 'app');
    await pollUntil(async () => (await sys.veto(marco.toLowerCase(), 'marketing')) !== null, {
      what: 'the consent event in the gateway’s opt-out list',
    });
    const promo = await publishOutbound(sys, marco.toLowerCase(), 'Offerta', {
      purpose: 'marketing',
    });
    expect((await waitStatus(sys, promo.messageId, 'failed')).error).toEqual({
      code: 'EMAIL.OPTED_OUT',
      reason: 'Not sent: the customer turned off marketing messages on this channel in the app',
    });
    // A service message still goes; then the customer writes STOP and nothing goes any more.
    const service = await publishOutbound(sys, marco.toLowerCase(), 'La sua pratica');
    await sinkGot(sys, marco.toLowerCase(), 'La sua pratica');
    await waitStatus(sys, service.messageId, 'sent');
    const stop = mid();
    await sendMail(sys, {
      from: marco,
      subject: 'STOP',
      text: 'STOP',
      messageId: stop,
      dkim: true,
    });
    expect((await waitInbound(sys, stop)).kind).toBe('optout');
    const after = await publishOutbound(sys, marco, 'Ancora?');
    expect((await waitStatus(sys, after.messageId, 'failed')).error?.code).toBe('EMAIL.OPTED_OUT');
    expect((await sinkMessages(sys)).some((m) => m.text.includes('Ancora?'))).toBe(false);
  });
});
