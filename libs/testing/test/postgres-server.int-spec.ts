import { Client } from 'pg';
import {
  PostgresBinariesMissingError,
  postgresBinDir,
  startPostgresServer,
} from '@omnigate/testing';
import type { TestPostgresServer } from '@omnigate/testing';

/**
 * The throwaway server that fault tests restart: what it promises after each way of stopping it.
 * A committed row survives a crash (immediate stop, SIGKILL: WAL recovery); a transaction open at
 * the crash is gone, and its connection fails with an error that says so.
 */
const bin = postgresBinDir();

(bin ? describe : describe.skip)(
  `startPostgresServer${bin ? '' : ` (skipped: ${new PostgresBinariesMissingError().message})`}`,
  () => {
    let pg: TestPostgresServer;
    const clients: Client[] = [];
    const connect = async () => {
      const c = new Client({ connectionString: pg.url });
      // A connection the server kills emits 'error'; the query in flight reports it.
      c.on('error', () => undefined);
      await c.connect();
      clients.push(c);
      return c;
    };
    const values = async () =>
      (await (await connect()).query<{ v: number }>('SELECT v FROM t ORDER BY v')).rows.map(
        (r) => r.v,
      );

    beforeAll(async () => {
      pg = await startPostgresServer();
      await (await connect()).query('CREATE TABLE t (v int)');
    });
    afterAll(async () => {
      for (const c of clients) await c.end().catch(() => undefined);
      await pg?.dispose();
    });

    it('listens on 127.0.0.1 at its own port, as the superuser postgres', async () => {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      const c = await connect();
      expect((await c.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u).toBe(
        'postgres',
      );
    });

    it('restart -m immediate: committed rows stay, an open transaction is rolled back', async () => {
      await (await connect()).query('INSERT INTO t VALUES (1)');
      const open = await connect();
      await open.query('BEGIN');
      await open.query('INSERT INTO t VALUES (2)');
      await pg.restart({ mode: 'immediate' });
      await expect(open.query('COMMIT')).rejects.toThrow();
      expect(await values()).toEqual([1]);
    });

    it('stop, then start on the same port; restart -m fast', async () => {
      await pg.stop();
      await expect(connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await pg.start();
      await (await connect()).query('INSERT INTO t VALUES (3)');
      await pg.restart({ mode: 'fast' });
      expect(await values()).toEqual([1, 3]);
    });

    it('SIGKILL to the postmaster (the host lost it), then start: committed rows stay', async () => {
      await (await connect()).query('INSERT INTO t VALUES (4)');
      await pg.kill('SIGKILL');
      await expect(connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await pg.start();
      expect(await values()).toEqual([1, 3, 4]);
    });
  },
);
