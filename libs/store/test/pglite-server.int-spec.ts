/**
 * The PGlite server's turn-taking, message by message: a client that is halfway through an
 * extended-protocol exchange (Parse and Bind sent, Execute and Sync not yet) keeps the one PGlite
 * session, so another client's Parse cannot replace its unnamed statement. The e2e test
 * (test/e2e/pglite-server.e2e-spec.ts) covers the server process as npm start runs it.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { pollUntil } from '@omnigate/testing';
import { startPgliteServer } from '../src';
import type { RunningPgliteServer } from '../src';

let pg: PGlite;
let server: RunningPgliteServer;

beforeAll(async () => {
  pg = new PGlite('memory://');
  server = await startPgliteServer({ pg, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await pg?.close();
});

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** Parse of the unnamed statement, no parameter types given. */
const parse = (sql: string) => message('P', cstr(''), cstr(sql), int16(0));
/** Bind of the unnamed portal to the unnamed statement, one text parameter, text results. */
const bind = (value: string) =>
  message(
    'B',
    cstr(''),
    cstr(''),
    int16(0),
    int16(1),
    int32(Buffer.byteLength(value)),
    Buffer.from(value),
    int16(0),
  );
const execute = () => message('E', cstr(''), int32(0));
const sync = () => message('S');

/** A raw client: what it receives, and a wait for bytes that end with ReadyForQuery. */
async function rawClient(): Promise<{ socket: Socket; received: () => Buffer }> {
  const socket = connect(server.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await new Promise((r) => socket.once('connect', r));
  const startup = Buffer.concat([
    int32(0),
    int32(196608),
    cstr('user'),
    cstr('postgres'),
    cstr(''),
  ]);
  startup.writeInt32BE(startup.length, 0);
  socket.write(startup);
  const received = () => Buffer.concat(chunks);
  await pollUntil(() => endsReady(received()), { timeoutMs: 10_000, what: 'the login' });
  chunks.length = 0;
  return { socket, received };
}

function endsReady(b: Buffer): boolean {
  return b.length >= 6 && b[b.length - 6] === 0x5a;
}

/** The text of each DataRow's first column, and each ErrorResponse's message. */
function rowsAndErrors(b: Buffer): { rows: string[]; errors: string[] } {
  const out = { rows: [] as string[], errors: [] as string[] };
  for (let at = 0; at + 5 <= b.length; at += 1 + b.readInt32BE(at + 1)) {
    if (b[at] === 0x44) {
      const len = b.readInt32BE(at + 7);
      out.rows.push(b.subarray(at + 11, at + 11 + len).toString('utf8'));
    }
    if (b[at] === 0x45) {
      const fields = b
        .subarray(at + 5, at + 1 + b.readInt32BE(at + 1))
        .toString('utf8')
        .split('\0');
      out.errors.push(fields.find((f) => f.startsWith('M'))?.slice(1) ?? '');
    }
  }
  return out;
}

describe('the PGlite server', () => {
  it('keeps the session for a client until its Sync: another client waits, then both get their own rows', async () => {
    const a = await rawClient();
    // B logs in first: a login takes its turn on the session too (it checks the role).
    const other = new Client({
      connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    });
    await other.connect();
    a.socket.write(Buffer.concat([parse('SELECT $1::int + 1 AS a'), bind('41')]));
    // ParseComplete and BindComplete: A has a statement and a portal on the session, no Sync yet.
    await pollUntil(() => a.received().length >= 10, { timeoutMs: 10_000, what: 'Parse, Bind' });
    const b = other.query<{ b: string }>('SELECT $1::text AS b', ['from b']);
    // B's Parse must wait: on the session now it would replace A's unnamed statement.
    await pollUntil(() => server.waiting() === 1, {
      timeoutMs: 10_000,
      what: 'B to wait for its turn',
    });
    a.socket.write(Buffer.concat([execute(), sync()]));
    await pollUntil(() => endsReady(a.received()), { timeoutMs: 10_000, what: "A's reply" });
    expect(rowsAndErrors(a.received())).toEqual({ rows: ['42'], errors: [] });
    expect((await b).rows).toEqual([{ b: 'from b' }]);
    a.socket.end();
    await other.end();
  });

  it('ends the exchange of a client that went away halfway, so the next client starts clean', async () => {
    const a = await rawClient();
    a.socket.write(Buffer.concat([parse('SELECT $1::int AS a'), bind('7')]));
    await pollUntil(() => a.received().length > 0, { timeoutMs: 10_000, what: 'Parse and Bind' });
    a.socket.destroy();
    const next = new Client({
      connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    });
    await next.connect();
    const { rows } = await next.query<{ t: string }>('SELECT $1::text AS t', ['clean']);
    await next.end();
    expect(rows).toEqual([{ t: 'clean' }]);
  });

  it('refuses more connections than it serves, with SQLSTATE 53300', async () => {
    const small = await startPgliteServer({ pg, host: '127.0.0.1', port: 0, maxConnections: 1 });
    const url = `postgres://postgres@127.0.0.1:${small.port}/postgres`;
    const first = new Client({ connectionString: url });
    await first.connect();
    try {
      await expect(new Client({ connectionString: url }).connect()).rejects.toMatchObject({
        code: '53300',
      });
    } finally {
      await first.end();
      await small.close();
    }
  });
});
