/**
 * `npm run audit:verify`: checks the audit log's hash chain from the first record to the last and
 * says where and why it breaks. Opens the database the way the apps do: DATABASE_URL, or the
 * embedded PGlite under DATA_DIR (default .data). Exit 0: intact; 1: broken; 2: could not check.
 *
 *   --head <seq>:<hash>  also check that a head noted earlier (printed by every run) is still
 *                        there unchanged: catches records removed from the end of the log.
 *   --force              open PGlite although its folder looks in use (only after a crash).
 */
import { eq } from 'drizzle-orm';
import { CommonEnv, databaseConfigFrom, parseConfig } from '@omnigate/kit';
import {
  CHAIN_BREAK_EXPLAINED,
  auditLog,
  openDatabase,
  refuseOpenPglite,
  verifyAuditChain,
} from '@omnigate/store';
import type { ChainVerification, Database } from '@omnigate/store';

interface Args {
  head: { seq: number; hash: string } | null;
  force: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { head: null, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') args.force = true;
    else if (a === '--head') {
      const m = /^(\d+):([0-9a-f]{64})$/.exec(argv[++i] ?? '');
      if (!m) throw new Error('--head needs <seq>:<64 hex digits>, as a previous run printed it');
      args.head = { seq: Number(m[1]), hash: m[2]! };
    } else throw new Error(`unknown argument ${a} (known: --head <seq>:<hash>, --force)`);
  }
  return args;
}

async function headStillThere(database: Database, head: Args['head']): Promise<string | null> {
  if (!head) return null;
  const [row] = await database.db
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.seq, head.seq));
  if (!row) return `the noted head seq ${head.seq} is gone: records were removed from the end`;
  if (row.hash !== head.hash) return `seq ${head.seq} no longer has the noted hash: rewritten`;
  return null;
}

function report(
  v: ChainVerification,
  headProblem: string | null,
  print: (line: string) => void,
): number {
  const head = v.head ? `head ${v.head.seq}:${v.head.hash}` : 'empty log';
  if (v.brokenAt !== null && v.reason) {
    print(`audit log BROKEN at seq ${v.brokenAt}: ${v.reason}, ${CHAIN_BREAK_EXPLAINED[v.reason]}`);
    print(`${v.checked} records before it hold (${head})`);
    return 1;
  }
  if (headProblem) {
    print(`audit log BROKEN: ${headProblem} (${v.checked} records checked)`);
    return 1;
  }
  print(`audit log intact: ${v.checked} records checked (${head})`);
  return 0;
}

/**
 * The command without the process around it (tests run it in-process): exit code 0 intact, 1
 * broken, 2 could not check (the reason printed).
 */
export async function runAuditVerify(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  try {
    return await check(argv, env, print);
  } catch (e) {
    print(`audit:verify could not check the log: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

async function check(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  const args = parseArgs(argv);
  const config = databaseConfigFrom(parseConfig(CommonEnv, env));
  refuseOpenPglite(config.dataDir, args.force);
  const database = await openDatabase({ url: config.url, dataDir: config.dataDir, poolSize: 2 });
  try {
    const v = await verifyAuditChain(database.db);
    return report(v, v.brokenAt === null ? await headStillThere(database, args.head) : null, print);
  } finally {
    await database.close();
  }
}
