import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { HealthRegistry } from '@omnigate/kit';
import { AuditLogRepository, DbHandle, openDatabase } from '@omnigate/store';
import type { Database } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import { runAuditVerify } from '../../../tools/audit-verify.command';
import type { TestDatabase } from '@omnigate/testing';

const ROOT = join(__dirname, '..', '..', '..');

interface Run {
  code: number;
  out: string;
}

/** `npm run audit:verify` as an operator runs it: its own process, the database from the env. */
function auditVerifyProcess(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/audit-verify.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

/** The same command in this process (a child process per check costs seconds each). */
async function auditVerify(env: Record<string, string>, args: string[] = []): Promise<Run> {
  const lines: string[] = [];
  const code = await runAuditVerify(args, { ...process.env, ...env }, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('npm run audit:verify (on the database the apps use)', () => {
  /** In memory for the checks run in this process; on disk for the command as a process. */
  let tdb: TestDatabase;
  let disk: TestDatabase;

  /** Opens the database, does `work`, closes it again (embedded PGlite is one process at a time). */
  const withDb = async (
    work: (db: Database, repo: AuditLogRepository) => Promise<void>,
    on: TestDatabase = tdb,
  ) => {
    const db = await openDatabase(on.config);
    try {
      await work(db, new AuditLogRepository(new DbHandle(db, new HealthRegistry())));
    } finally {
      await db.close();
    }
  };
  /** As an attacker with the table owner's rights: the append-only trigger off for one statement. */
  const asOwner = (statement: SQL) =>
    withDb(async (db) => {
      await db.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
      await db.db.execute(statement);
      await db.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`);
    });
  const appendFive = async (_db: Database, repo: AuditLogRepository) => {
    for (let n = 1; n <= 5; n++) {
      await repo.append({
        actor: 'alice',
        action: 'conversation.view',
        subject: `conv-${n}`,
        detail: { role: 'agent', ip: '10.0.0.1', outcome: 'ok' },
      });
    }
  };

  beforeAll(async () => {
    [tdb, disk] = await Promise.all([createTestDatabase(), createTestDatabase({ onDisk: true })]);
    await withDb(appendFive);
    await withDb(appendFive, disk);
  });
  afterAll(async () => {
    await tdb?.cleanup();
    await disk?.cleanup();
  });

  let head = '';

  it('says how many records it checked and exits 0 when the chain holds (also as a process)', async () => {
    const proc = await auditVerifyProcess(disk.env);
    expect(proc).toMatchObject({ code: 0 });
    expect(proc.out).toContain('audit log intact: 5 records checked');
    const run = await auditVerify(tdb.env);
    expect(run).toMatchObject({ code: 0 });
    expect(run.out).toContain('audit log intact: 5 records checked');
    head = /head (\d+:[0-9a-f]{64})/.exec(run.out)![1]!;
    expect(head.startsWith('5:')).toBe(true);
  });

  it('detects a record changed in the database: the seq, why, exit 1', async () => {
    await asOwner(
      sql`UPDATE audit_log SET detail = detail || '{"ip":"203.0.113.9"}' WHERE seq = 2`,
    );
    const run = await auditVerify(tdb.env);
    expect(run.code).toBe(1);
    expect(run.out).toContain('audit log BROKEN at seq 2: hash_mismatch');
    expect(run.out).toContain('1 records before it hold');
    await asOwner(sql`UPDATE audit_log SET detail = detail || '{"ip":"10.0.0.1"}' WHERE seq = 2`);
    expect((await auditVerify(tdb.env)).code).toBe(0);
  });

  it('detects records cut from the end against a head noted earlier', async () => {
    await asOwner(sql`DELETE FROM audit_log WHERE seq = 5`);
    const run = await auditVerify(tdb.env, ['--head', head]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('the noted head seq 5 is gone');
  });

  it('detects a deleted record: a gap at its seq', async () => {
    await asOwner(sql`DELETE FROM audit_log WHERE seq = 3`);
    const run = await auditVerify(tdb.env);
    expect(run.code).toBe(1);
    expect(run.out).toContain('audit log BROKEN at seq 3: gap, the record is missing (deleted)');
  });

  it('exits 2 with the reason when it cannot check: a bad argument, PGlite in use', async () => {
    const bad = await auditVerifyProcess(disk.env, ['--head', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--head needs <seq>:<64 hex digits>');
    if (disk.kind !== 'pglite') return;
    await withDb(async () => {
      const busy = await auditVerify(disk.env);
      expect(busy.code).toBe(2);
      expect(busy.out).toContain('is open in another process');
    }, disk);
  });
});
