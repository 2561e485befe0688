import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { pollUntil } from '@omnigate/testing';
import type { RunningHttpApp } from '@omnigate/kit';
import { bootstrap } from '../src/bootstrap';
import type { CoreEventRecord } from '../src/core-banking/core-events.service';

const KEY = 'sandbox-events-test-key';
const SECRET = 'sandbox-events-test-secret';

interface Delivery {
  signature: string;
  body: string;
}

/** The bank's subscriber: records raw bodies and signatures, answers from a script of statuses. */
async function startSubscriber(
  statuses: number[],
): Promise<{ url: string; got: Delivery[]; server: Server }> {
  const got: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        signature: String(req.headers['x-core-signature']),
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(statuses[got.length - 1] ?? 202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/events`,
    got,
    server,
  };
}

describe('sandbox core banking: signed event webhooks', () => {
  let sandbox: RunningHttpApp;
  let sub: Awaited<ReturnType<typeof startSubscriber>>;
  const control = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandbox.url}/core/v1/_control/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok).toBe(true);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    sub = await startSubscriber([500, 503]);
    sandbox = await bootstrap({
      SANDBOX_PORT: '0',
      LOG_LEVEL: 'error',
      CORE_BANKING_API_KEY: KEY,
      SANDBOX_CORE_EVENTS_URL: sub.url,
      SANDBOX_CORE_EVENTS_SECRET: SECRET,
      SANDBOX_CORE_EVENTS_RETRY_MS: '50,100',
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    sub?.server.closeAllConnections();
    await new Promise((r) => sub?.server.close(r));
  });

  it('POSTs a SIM swap signed over "<t>.<raw body>", retrying non-2xx answers with backoff', async () => {
    const { event } = await control<{ event: { id: string } }>('sim-swap', {
      customerId: 'cust-1002',
    });
    const record = await pollUntil(
      async () =>
        (await control<{ events: CoreEventRecord[] }>('events')).events.find(
          (r) => r.event.id === event.id && r.delivered,
        ),
      { what: 'the delivered event' },
    );
    expect(record.attempts.map((a) => a.status)).toEqual([500, 503, 202]);
    expect(sub.got).toHaveLength(3);
    for (const d of sub.got) {
      expect(JSON.parse(d.body)).toEqual({
        id: event.id,
        kind: 'sim_swap',
        occurredAt: expect.any(String) as unknown,
        customerRef: 'cust-1002',
      });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(d.signature)!;
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(10);
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${d.body}`).digest('hex'));
    }
  });

  it('gives up after the last retry and keeps the event listed as not delivered', async () => {
    const failing = await startSubscriber([500, 500, 500, 500]);
    await control('events-target', { url: failing.url });
    const { event } = await control<{ event: { id: string } }>('new-device', {
      customerId: 'cust-1002',
    });
    await pollUntil(async () => failing.got.length === 3, { what: 'three attempts' });
    const record = (await control<{ events: CoreEventRecord[] }>('events')).events.find(
      (r) => r.event.id === event.id,
    );
    expect(record).toMatchObject({
      delivered: false,
      attempts: [{ status: 500 }, { status: 500 }, { status: 500 }],
    });
    failing.server.closeAllConnections();
    await new Promise((r) => failing.server.close(r));
  });

  it('changes the verified phone and emits phone_changed; validates the number', async () => {
    await control('events-target', { url: null });
    const { event } = await control<{ event: { kind: string } }>('phone-change', {
      customerId: 'cust-1003',
      phone: '+447911000111',
    });
    expect(event.kind).toBe('phone_changed');
    const found = await fetch(`${sandbox.url}/core/v1/customers?phone=%2B447911000111`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(((await found.json()) as { id: string }).id).toBe('cust-1003');
    const bad = await fetch(`${sandbox.url}/core/v1/_control/phone-change`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'cust-1003', phone: '0044 7911' }),
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${sandbox.url}/core/v1/_control/sim-swap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'cust-9999' }),
    });
    expect(unknown.status).toBe(404);
  });
});
