/**
 * `npm start`'s database: PGlite in its own process (tools/pglite-server.ts), started the way the
 * launcher starts it, migrated over the PostgreSQL protocol, then used by several clients at once
 * as the apps use it (node-postgres pools, each app as its own role).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { openDatabase } from '@omnigate/store';
import { startPgliteServerProcess } from '../../tools/pglite-server.runner';
import type { PgliteServerProcess } from '../../tools/pglite-server.runner';
import { runMigrate } from '../../tools/migrate.command';
import { appEnv } from '../../tools/dev-env';

jest.setTimeout(120_000);

let dataDir: string;
let server: PgliteServerProcess;

const start = () =>
  startPgliteServerProcess({ dataDir, host: '127.0.0.1', port: 0, env: process.env });

/** A URL that logs in as `user` (appEnv does this for each app). */
function asUser(user: string): string {
  const u = new URL(server.url);
  u.username = user;
  return u.toString();
}

/** The raw bytes a server sends back to `bytes` until it closes the connection. */
function rawExchange(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** SQLSTATE ('C') and text ('M') of the ErrorResponse that starts `reply`. */
function errorFields(reply: Buffer): { type: string; code?: string; message?: string } {
  const fields = reply
    .subarray(5, 1 + reply.readInt32BE(1))
    .toString('utf8')
    .split('\0');
  return {
    type: String.fromCharCode(reply[0]!),
    code: fields.find((f) => f.startsWith('C'))?.slice(1),
    message: fields.find((f) => f.startsWith('M'))?.slice(1),
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'og-pglite-server-'));
  server = await start();
  // As npm start does: the migrator over the socket as PGlite's superuser, before any app.
  const result = await runMigrate({ ...process.env, DATABASE_URL: server.url, DATA_DIR: dataDir });
  expect(result.roles).toEqual(['omnigate_router', 'omnigate_console', 'omnigate_vault']);
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
  await admin.query('INSERT INTO counters VALUES (1, 0)');
  await admin.end();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the PGlite server process', () => {
  it('lets an app open its database the way npm start gives it: its own role, least privilege', async () => {
    const env = appEnv('console', { DATABASE_URL: server.url });
    expect(new URL(env.DATABASE_URL!).username).toBe('omnigate_console');
    const handle = await openDatabase({ url: env.DATABASE_URL, poolSize: 2 });
    try {
      expect(handle.kind).toBe('postgres');
      expect(await handle.ping()).toBe(true);
    } finally {
      await handle.close();
    }
    const consoleRole = new Client({ connectionString: env.DATABASE_URL });
    await consoleRole.connect();
    try {
      const who = await consoleRole.query<{ u: string }>('SELECT current_user AS u');
      expect(who.rows[0]!.u).toBe('omnigate_console');
      // The vault's table is not the console's (libs/store table-access.ts).
      await expect(consoleRole.query('SELECT count(*) FROM vault_cards')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await consoleRole.end();
    }
  });

  it('runs a transaction of one client without another client’s statements in between', async () => {
    const a = new Client({ connectionString: server.url });
    const b = new Client({ connectionString: server.url });
    await Promise.all([a.connect(), b.connect()]);
    const order: string[] = [];
    let bSaw = -1;
    try {
      await a.query('BEGIN');
      const seen = await a.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
      order.push('a read');
      // B starts while A's transaction is open: on one shared session its writes would land
      // inside A's transaction. It must wait for A's COMMIT instead.
      const bDone = (async () => {
        await b.query('BEGIN');
        order.push('b began');
        const r = await b.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
        bSaw = r.rows[0]!.n;
        await b.query('UPDATE counters SET n = $1 WHERE id = 1', [bSaw + 1]);
        await b.query('COMMIT');
        order.push('b committed');
      })();
      await new Promise((r) => setTimeout(r, 300));
      order.push('a writes');
      await a.query('UPDATE counters SET n = $1 WHERE id = 1', [seen.rows[0]!.n + 1]);
      await a.query('COMMIT');
      order.push('a committed');
      await bDone;
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    // B's BEGIN was answered only after A had written (A's COMMIT and B's BEGIN are answered in
    // the same instant, so their order here is the client's), and B read A's committed value.
    expect(order.indexOf('b began')).toBeGreaterThan(order.indexOf('a writes'));
    expect(bSaw).toBe(1);
    const check = new Client({ connectionString: server.url });
    await check.connect();
    const { rows } = await check.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
    await check.end();
    // Both read-modify-write increments count: neither saw a state the other was changing.
    expect(rows[0]!.n).toBe(2);
  });

  it('keeps every parameterised query on its own statement when many clients send at once', async () => {
    const pool = new Pool({ connectionString: server.url, max: 6 });
    const long = 'x'.repeat(100_000);
    try {
      const results = await Promise.all(
        Array.from({ length: 150 }, async (_, i) => {
          if (i % 3 === 0) {
            // A failing statement ends its exchange with an error; the others must not notice.
            const e = await pool.query('SELECT 1 / $1::int', [0]).catch((err: Error) => err);
            return e instanceof Error && /division by zero/.test(e.message);
          }
          const text = `${i % 2 ? long : ''}${i}`;
          const r = await pool.query<{ a: number; b: string }>(
            'SELECT $1::int AS a, $2::text AS b',
            [i, text],
          );
          return r.rows[0]!.a === i && r.rows[0]!.b === text;
        }),
      );
      expect(results.filter((ok) => !ok)).toHaveLength(0);
    } finally {
      await pool.end();
    }
  });

  it('rolls back what a client that went away left open, and serves the next one', async () => {
    const gone = new Client({ connectionString: server.url });
    await gone.connect();
    await gone.query('BEGIN');
    await gone.query('UPDATE counters SET n = 1000 WHERE id = 1');
    // The connection dies under it (a crashed app): pg reports that on the client as an error.
    gone.on('error', () => undefined);
    (
      gone as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();
    // The next client's turn comes once the server has seen the close and rolled back.
    const next = new Client({ connectionString: server.url });
    await next.connect();
    const { rows } = await next.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
    await next.end();
    expect(rows[0]!.n).toBe(2);
  });

  it('refuses a role that does not exist, by name, with SQLSTATE 28000', async () => {
    const stranger = new Client({ connectionString: asUser('nobody_here') });
    await expect(stranger.connect()).rejects.toMatchObject({
      code: '28000',
      message: expect.stringContaining('nobody_here') as string,
    });
  });

  it('answers a startup packet with a bad length or another protocol version with a clear error', async () => {
    const badLength = Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0]);
    expect(errorFields(await rawExchange(badLength))).toEqual({
      type: 'E',
      code: '08P01',
      message: 'invalid startup packet length 2147483647',
    });
    const v2 = Buffer.alloc(9);
    v2.writeInt32BE(9, 0);
    v2.writeInt32BE(2 << 16, 4);
    expect(errorFields(await rawExchange(v2))).toEqual({
      type: 'E',
      code: '0A000',
      message: 'unsupported frontend protocol 2.0: only 3.0 is served',
    });
  });

  it('answers a message with an impossible length after login with a protocol error', async () => {
    const startup = Buffer.from('\0\0\0\0\0\x03\0\0user\0postgres\0\0', 'latin1');
    startup.writeInt32BE(startup.length, 0);
    const garbage = Buffer.from([0x51, 0, 0, 0, 2]);
    const reply = await rawExchange(Buffer.concat([startup, garbage]));
    // The login's replies end with ReadyForQuery; the error follows it.
    const at = reply.indexOf(Buffer.from([0x5a, 0, 0, 0, 5, 0x49])) + 6;
    expect(errorFields(reply.subarray(at))).toEqual({
      type: 'E',
      code: '08P01',
      message: 'invalid message length 2',
    });
  });

  it('keeps the data when it stops and starts again', async () => {
    await server.stop();
    server = await start();
    const after = new Client({ connectionString: server.url });
    await after.connect();
    const { rows } = await after.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
    await after.end();
    expect(rows[0]!.n).toBe(2);
  });
});
