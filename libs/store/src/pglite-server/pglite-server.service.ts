import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PgliteSessionService } from './pglite-session.service';
import type { PgliteServerErrorCode } from './pglite-server.errors';
import { WireConnection } from './wire-connection.service';
import { fatalError } from './wire-frames.mapper';

export interface PgliteServerOptions {
  pg: PGlite;
  host: string;
  /** 0: a free port (see `port` on the result). */
  port: number;
  /** Connections at once; more are refused with SQLSTATE 53300. */
  maxConnections?: number;
  /** A connection that failed for a reason other than its own input (code, never SQL or values). */
  onFailure?: (code: PgliteServerErrorCode, error: unknown) => void;
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
    new WireConnection(socket, { id: nextId++, session, settings, onFailure: opts.onFailure });
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
