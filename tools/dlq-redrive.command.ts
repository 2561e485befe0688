/**
 * `npm run dlq:redrive -- [--stream X] [--id N | --all] [--force]`: puts dead letters back on
 * their stream (DeadLetterRedriver: the ORIGINAL message from its stream, never the entry's copy)
 * and records who did it in the audit log, as the console's redrive does. Connects the way the
 * apps do (NATS_URL; in production NATS_USER=operator and NATS_PASS=$NATS_PASS_OPERATOR, the
 * user deploy/nats gives the redrive grants of tools/nats-permissions.ts; DATABASE_URL or
 * DATA_DIR for the audit log). The streams it redrives are REDRIVABLE_STREAMS (never CARDS). Without --id or --all it lists the
 * entries (ids, streams, codes; never payloads). Exit 0: done; 1: some entries refused; 2: could
 * not run.
 */
import { userInfo } from 'node:os';
import { DeadLetterReader, DeadLetterRedriver, NatsConnection } from '@omnigate/bus';
import { REDRIVABLE_STREAMS } from '@omnigate/contracts';
import type { RedriveOutcome, RedriveSelection } from '@omnigate/bus';
import {
  CommonEnv,
  HealthRegistry,
  busOptionsFrom,
  databaseConfigFrom,
  parseConfig,
} from '@omnigate/kit';
import { AuditLogRepository, DbHandle, openDatabase, refuseOpenPglite } from '@omnigate/store';

interface Args {
  selection: RedriveSelection | null;
  force: boolean;
}

export function parseRedriveArgs(argv: string[]): Args {
  const sel: RedriveSelection = {};
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--all') sel.all = true;
    else if (a === '--force') force = true;
    else if (a === '--id') {
      const id = Number(argv[++i]);
      if (!Number.isInteger(id) || id < 1) throw new Error('--id needs an entry id (a number ≥ 1)');
      sel.id = id;
    } else if (a === '--stream') {
      const stream = argv[++i];
      if (!stream || !(REDRIVABLE_STREAMS as readonly string[]).includes(stream)) {
        throw new Error(`--stream needs one of ${REDRIVABLE_STREAMS.join(', ')}`);
      }
      sel.stream = stream;
    } else throw new Error(`unknown argument ${a} (known: --stream X, --id N, --all, --force)`);
  }
  if (sel.all && sel.id !== undefined) throw new Error('give --id or --all, not both');
  if (sel.stream && sel.id !== undefined) throw new Error('--stream goes with --all');
  return { selection: sel.all || sel.id !== undefined ? sel : null, force };
}

export async function runDlqRedrive(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  try {
    return await redrive(argv, env, print);
  } catch (e) {
    print(`dlq:redrive could not run: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

async function redrive(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  const args = parseRedriveArgs(argv);
  const config = parseConfig(CommonEnv, env);
  const health = new HealthRegistry();
  const conn = new NatsConnection(
    { ...busOptionsFrom(config, 'dlq-redrive'), declareStreams: false },
    health,
  );
  await conn.onModuleInit();
  try {
    if (!args.selection) return await list(conn, print);
    // The audit log first: no redrive that cannot be recorded.
    const db = databaseConfigFrom(config);
    refuseOpenPglite(db.dataDir, args.force);
    const database = await openDatabase({ url: db.url, dataDir: db.dataDir, poolSize: 2 });
    try {
      const outcomes = await redriveEach(new DeadLetterRedriver(conn), args.selection);
      await record(
        new AuditLogRepository(new DbHandle(database, health)),
        args.selection,
        outcomes,
      );
      return report(outcomes, print);
    } finally {
      await database.close();
    }
  } finally {
    await conn.onApplicationShutdown();
  }
}

/**
 * `--all` without `--stream` goes stream by stream (REDRIVABLE_STREAMS), as the router does: an
 * entry of CARDS is skipped and stays rather than a refused publish ending the run half way.
 */
async function redriveEach(
  redriver: DeadLetterRedriver,
  sel: RedriveSelection,
): Promise<RedriveOutcome[]> {
  if (!sel.all || sel.stream) return redriver.redrive(sel);
  const out: RedriveOutcome[] = [];
  const seen = new Set<number>();
  for (const stream of REDRIVABLE_STREAMS) {
    // An unreadable entry belongs to no stream: every pass reports it, kept once.
    for (const o of await redriver.redrive({ all: true, stream })) {
      if (!seen.has(o.id)) out.push(o);
      seen.add(o.id);
    }
  }
  return out;
}

async function list(conn: NatsConnection, print: (line: string) => void): Promise<number> {
  const page = await new DeadLetterReader(conn).recent(200);
  print(`${page.total} dead letters (newest first; redrive with --id N or --all):`);
  for (const e of page.entries) {
    print(`  ${e.id}  ${e.stream}/${e.consumer}  ${e.error.code}  ${e.at}`);
  }
  return 0;
}

async function record(
  log: AuditLogRepository,
  sel: RedriveSelection,
  outcomes: RedriveOutcome[],
): Promise<void> {
  const redriven = outcomes.filter((o) => o.result === 'redriven').length;
  await log.append({
    actor: `cli:${userInfo().username}`,
    action: 'dead_letter.redrive',
    subject: 'dead_letters',
    detail: {
      role: 'operator',
      via: 'cli',
      ...(sel.id !== undefined ? { id: sel.id } : {}),
      ...(sel.all ? { all: true } : {}),
      ...(sel.stream ? { stream: sel.stream } : {}),
      redriven,
      refused: outcomes.length - redriven,
      outcome: 'ok',
    },
  });
}

function report(outcomes: RedriveOutcome[], print: (line: string) => void): number {
  for (const o of outcomes) {
    print(`  ${o.id}  ${o.stream ?? '?'}/${o.consumer ?? '?'}  ${o.result}`);
  }
  const refused = outcomes.filter((o) => o.result !== 'redriven').length;
  print(`${outcomes.length - refused} redriven, ${refused} refused`);
  return refused > 0 ? 1 : 0;
}
