/**
 * The embedded database as its own process: PGlite (data in <DATA_DIR>/pgdata) served over the
 * PostgreSQL protocol on loopback, so `npm start` runs each app in its own process, as production
 * does, instead of every app and the database sharing one event loop.
 *
 *   DATA_DIR      PGlite's folder is <DATA_DIR>/pgdata (default .data)
 *   PGLITE_HOST   where to listen (default 127.0.0.1: no authentication, keep it on loopback)
 *   PGLITE_PORT   the port (default 5433; 0 picks a free one)
 *
 * Started by the launcher (tools/pglite-server.launcher.ts), it reports `{ ready: port }` on the
 * IPC channel; by hand it prints the URL. It stops on SIGTERM, and when its launcher goes away.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startPgliteServer } from '@omnigate/store';

async function main(): Promise<void> {
  const dataDir = join(resolve(process.env.DATA_DIR ?? '.data'), 'pgdata');
  const host = process.env.PGLITE_HOST || '127.0.0.1';
  const port = Number(process.env.PGLITE_PORT ?? 5433);
  mkdirSync(dataDir, { recursive: true });
  const pg = new PGlite(dataDir);
  await pg.waitReady;
  const server = await startPgliteServer({
    pg,
    host,
    port,
    // A code and the error's name only: an error may quote a statement's values.
    onFailure: (code, e) =>
      console.error(
        JSON.stringify({ level: 'error', code, error: (e as Error)?.name ?? 'unknown' }),
      ),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    // Closing writes PGlite's state back to disk: a kill here could leave the data folder torn.
    await pg.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  // Ctrl-C reaches every process of the terminal: the launcher stops the apps first, then sends
  // SIGTERM here, so the apps' last statements still find their database.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => void stop());
  if (process.send) process.send({ ready: server.port });
  else console.log(`PGlite (${dataDir}) at postgres://postgres@${host}:${server.port}/postgres`);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  console.error(
    err?.code === 'EADDRINUSE'
      ? `the PGlite server's port is in use (${err.message}): set PGLITE_PORT`
      : `the PGlite server did not start: ${err?.message ?? String(e)}`,
  );
  process.exit(1);
});
