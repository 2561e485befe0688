import { randomUUID } from 'node:crypto';
import hoodiecrow from 'hoodiecrow-imap';
import type { HoodiecrowServer } from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';
import { KvStore } from '@omnigate/bus';
import { freePort, pollUntil } from '@omnigate/testing';
import { IMAP_CURSOR_BUCKET } from '../src/inbound/imap-poller.service';
import type { ImapCursor } from '../src/inbound/imap-cursor.mapper';
import { inboundOnBus, startEmailSystem, waitInbound } from './email-test-system';
import type { EmailSystem } from './email-test-system';

const GIULIA = 'giulia.rossi@example.it';

function rawMail(messageId: string, text: string): string {
  return [
    'Received: from mx.example.it (mx.example.it [127.0.0.1]) by imap.bank.example; Mon, 23 Nov 2026 10:00:00 +0000',
    `From: Giulia Rossi <${GIULIA}>`,
    'To: support@bank.example',
    'Subject: Bonifico',
    `Message-ID: ${messageId}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    '',
    text,
    '',
  ].join('\r\n');
}

async function startImap(
  port: number,
  uidvalidity: number,
  raws: string[],
): Promise<HoodiecrowServer> {
  const server = hoodiecrow({
    plugins: ['IDLE', 'UIDPLUS', 'ENABLE', 'ID'],
    storage: { INBOX: { uidvalidity, messages: raws.map((raw) => ({ raw })) } },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function append(port: number, raw: string): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'testuser', pass: 'testpass' },
    logger: false,
  });
  await client.connect();
  await client.append('INBOX', raw);
  await client.logout();
}

describe('gateway-email inbound by IMAP (hoodiecrow): cursor in NATS KV, no loss, no duplicates', () => {
  let sys: EmailSystem;
  let imap: HoodiecrowServer;
  let port: number;
  const ids = Array.from({ length: 5 }, () => `<${randomUUID()}@mail.example.it>`);
  const raws = ids.map((id, i) => rawMail(id, `messaggio ${i + 1}`));
  const countOf = async (id: string) =>
    (await inboundOnBus(sys)).filter((m) => m.providerMessageId === id).length;

  beforeAll(async () => {
    port = await freePort();
    imap = await startImap(port, 7, raws.slice(0, 2));
    sys = await startEmailSystem({
      EMAIL_INBOUND: 'imap',
      EMAIL_IMAP_HOST: '127.0.0.1',
      EMAIL_IMAP_PORT: String(port),
      EMAIL_IMAP_SECURE: 'false',
      EMAIL_IMAP_USER: 'testuser',
      EMAIL_IMAP_PASS: 'testpass',
      EMAIL_IMAP_POLL_MS: '300',
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await new Promise<void>((r) => imap?.close(() => r()));
  });

  it('reads what is in the mailbox, then new mail, across a gateway restart, each once', async () => {
    const first = await waitInbound(sys, ids[0]!);
    const health = await (await fetch(`${sys.gateway.url}/health`)).json();
    expect(health).toMatchObject({ checks: { imap_mailbox: true } });
    expect(first).toMatchObject({
      channel: 'email',
      from: { address: GIULIA },
      text: 'Bonifico\n\nmessaggio 1',
    });
    await waitInbound(sys, ids[1]!);

    await append(port, raws[2]!);
    await waitInbound(sys, ids[2]!);

    await sys.restartGateway();
    await append(port, raws[3]!);
    await waitInbound(sys, ids[3]!);

    const cursors = await sys.probe.get(KvStore).bucket<ImapCursor>(IMAP_CURSOR_BUCKET, 0);
    const key = `testuser@127.0.0.1/INBOX`;
    expect(
      await pollUntil(async () =>
        (await cursors.get(key))?.lastUid === 4 ? cursors.get(key) : null,
      ),
    ).toEqual({
      uidValidity: '7',
      lastUid: 4,
    });
    for (const id of ids.slice(0, 4)) expect(await countOf(id)).toBe(1);
  });

  it('resyncs safely when UIDVALIDITY changes: old mail is not published again, new mail is', async () => {
    // The server is renumbered while the gateway is down; the old one closes once the gateway logged out.
    const closed = new Promise<void>((r) => imap.close(() => r()));
    await sys.restartGateway();
    await closed;
    imap = await startImap(port, 99, raws);
    await waitInbound(sys, ids[4]!);
    const cursors = await sys.probe.get(KvStore).bucket<ImapCursor>(IMAP_CURSOR_BUCKET, 0);
    expect(
      await pollUntil(async () =>
        (await cursors.get('testuser@127.0.0.1/INBOX'))?.uidValidity === '99' ? true : null,
      ),
    ).toBe(true);
    for (const id of ids) expect(await countOf(id)).toBe(1);
  });
});
