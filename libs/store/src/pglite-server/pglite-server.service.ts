import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { PgliteSessionService } from './pglite-session.service';
import type { SessionClient } from './pglite-session.service';
import {
  authenticationOk,
  backendKeyData,
  fatalError,
  parameterStatus,
  readStartupFrame,
  readTypedFrames,
  readyForQuery,
} from './wire-frames.mapper';

export interface PgliteServerOptions {
  pg: PGlite;
  host: string;
  /** 0: a free port (see `port` on the result). */
  port: number;
  /** Connections at once; more are refused with SQLSTATE 53300. */
  maxConnections?: number;
  /** A connection that failed for a reason other than its own input (code, never SQL or values). */
  onFailure?: (code: string, error: unknown) => void;
}

export interface RunningPgliteServer {
  port: number;
  /** Connections open now. */
  connections(): number;
  /** Connections waiting for their turn on the session. */
  waiting(): number;
  close(): Promise<void>;
}

/** What the server tells every client at login, as PostgreSQL does: read once from PGlite. */
const REPORTED_SETTINGS = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'DateStyle',
  'IntervalStyle',
  'TimeZone',
  'integer_datetimes',
  'standard_conforming_strings',
];

/**
 * PGlite served over the PostgreSQL protocol on a TCP port, so that apps in other processes use
 * it with their usual driver (node-postgres). No authentication: it listens on loopback for one
 * machine's development system, and a role named at login is for least privilege, not a boundary
 * (the session user is PGlite's superuser, so a client could RESET ROLE).
 */
export async function startPgliteServer(opts: PgliteServerOptions): Promise<RunningPgliteServer> {
  const settings = await readSettings(opts.pg);
  const sessionUser = settings.get('session_user') ?? 'postgres';
  settings.delete('session_user');
  const session = new PgliteSessionService(opts.pg, sessionUser);
  const sockets = new Set<Socket>();
  const max = opts.maxConnections ?? 100;
  let nextId = 1;
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    // A client that resets its connection is that client's problem, never the server's.
    socket.on('error', () => undefined);
    // Tracked before the check: a refused client may keep its end open, and close() must not
    // wait for it.
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (sockets.size > max) {
      socket.end(fatalError('53300', `sorry, too many clients already (${max})`));
      return;
    }
    serveConnection(socket, { id: nextId++, session, settings, onFailure: opts.onFailure });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    connections: () => sockets.size,
    waiting: () => session.queued,
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

async function readSettings(pg: PGlite): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of REPORTED_SETTINGS) {
    const { rows } = await pg.query<{ v: string }>('SELECT current_setting($1) AS v', [name]);
    if (rows[0]) out.set(name, rows[0].v);
  }
  const { rows } = await pg.query<{ u: string }>('SELECT session_user AS u');
  if (rows[0]) out.set('session_user', rows[0].u);
  return out;
}

interface ConnectionContext {
  id: number;
  session: PgliteSessionService;
  settings: Map<string, string>;
  onFailure?: (code: string, error: unknown) => void;
}

/**
 * One client: the start (SSL refused, startup answered here), then its messages to the session in
 * the order they came. Only one read is worked on at a time; bytes that arrive meanwhile wait.
 */
function serveConnection(socket: Socket, ctx: ConnectionContext): void {
  let buffered: Buffer = Buffer.alloc(0);
  let client: SessionClient | null = null;
  let busy = false;
  let closed = false;

  const refuse = (sqlState: string, message: string) => {
    closed = true;
    socket.end(fatalError(sqlState, message));
  };

  const leave = () => {
    if (!client) return;
    const gone = client;
    client = null;
    ctx.session.leave(gone).catch((e: unknown) => ctx.onFailure?.('STORE.PGLITE_LEAVE_FAILED', e));
  };

  const login = async (params: Record<string, string>): Promise<void> => {
    const who: SessionClient = { id: ctx.id, role: params.user ?? '' };
    const refused = await ctx.session.admit(who);
    if (refused) return refuse('28000', refused.message);
    client = who;
    const replies = [authenticationOk()];
    for (const [name, value] of ctx.settings) replies.push(parameterStatus(name, value));
    replies.push(parameterStatus('session_authorization', who.role));
    replies.push(backendKeyData(ctx.id, randomInt(2 ** 31 - 1)), readyForQuery('I'));
    socket.write(Buffer.concat(replies));
  };

  /** Works off what is buffered; false when it must wait for more bytes. */
  const step = async (): Promise<boolean> => {
    if (!client) {
      const frame = readStartupFrame(buffered);
      switch (frame.kind) {
        case 'incomplete':
          return false;
        case 'ssl':
        case 'gss':
          // No TLS on loopback: 'N' tells the client to go on in the clear (or give up, if it must).
          buffered = buffered.subarray(8);
          socket.write('N');
          return true;
        case 'cancel':
          // PGlite cannot interrupt a running statement; a cancel is closed without effect.
          closed = true;
          socket.end();
          return false;
        case 'invalid':
          refuse(frame.sqlState, frame.message);
          return false;
        case 'startup':
          buffered = buffered.subarray(frame.length);
          await login(frame.params);
          return !closed;
      }
    }
    const frames = readTypedFrames(buffered);
    if (frames.kind === 'invalid') {
      refuse(frames.sqlState, frames.message);
      return false;
    }
    if (frames.types.length === 0) return false;
    const terminate = frames.types.indexOf('X');
    // Terminate ends this connection only: it must not reach PGlite, whose one session it would end.
    const upTo = terminate < 0 ? frames.bytes : byteOffsetOf(buffered, terminate);
    const batch = buffered.subarray(0, upTo);
    buffered = buffered.subarray(frames.bytes);
    if (batch.length > 0) {
      const reply = await ctx.session.run(client, batch);
      if (!socket.destroyed) socket.write(reply);
    }
    if (terminate >= 0) {
      closed = true;
      socket.end();
      return false;
    }
    return true;
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (!closed && (await step()));
    } catch (e) {
      ctx.onFailure?.('STORE.PGLITE_SESSION_FAILED', e);
      refuse('XX000', 'the PGlite server could not run this request');
    } finally {
      busy = false;
      if (closed) leave();
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    void pump();
  });
  socket.once('close', () => {
    closed = true;
    // While a read is worked on, pump() leaves when it ends: never two runs on PGlite at once.
    if (!busy) leave();
  });
}

/** Where the `index`-th typed message starts in `buf`. */
function byteOffsetOf(buf: Buffer, index: number): number {
  let at = 0;
  for (let i = 0; i < index; i++) at += 1 + buf.readInt32BE(at + 1);
  return at;
}
