/**
 * `npm run journeys:rebuild -- [--force] [--timeout-ms N]`: asks a router to rebuild the journey
 * projection from CONV_EVENTS (rpc.v1.router.rebuild_journeys; apps/router journeys) and prints
 * what it replayed. Connects the way the apps do (NATS_URL; in production NATS_USER=operator and
 * NATS_PASS=$NATS_PASS_OPERATOR, the user deploy/nats allows that request). The router audits
 * the rebuild under `cli:<login>`. --force starts although a rebuild is marked (one interrupted,
 * its router stopped). Exit 0: rebuilt; 1: refused (a rebuild running, or marked); 2: could not
 * run.
 */
import { userInfo } from 'node:os';
import { BusClient, BusPublisher, NatsConnection, RpcError } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import { AppError, CommonEnv, HealthRegistry, busOptionsFrom, parseConfig } from '@omnigate/kit';

/** A replay reads the whole stream: minutes for a busy day, so wait long by default. */
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

interface Args {
  force: boolean;
  timeoutMs: number;
}

export function parseRebuildArgs(argv: string[]): Args {
  const args: Args = { force: false, timeoutMs: DEFAULT_TIMEOUT_MS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') args.force = true;
    else if (a === '--timeout-ms') {
      const ms = Number(argv[++i]);
      if (!Number.isInteger(ms) || ms < 1000) {
        throw new Error('--timeout-ms needs milliseconds ≥ 1000');
      }
      args.timeoutMs = ms;
    } else throw new Error(`unknown argument ${a} (known: --force, --timeout-ms N)`);
  }
  return args;
}

export async function runJourneysRebuild(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  try {
    return await rebuild(parseRebuildArgs(argv), env, print);
  } catch (e) {
    if (e instanceof RpcError && e.code === 'JOURNEY.REBUILD_CONFLICT') {
      print(`journeys:rebuild refused: ${e.code}: ${e.message}`);
      return 1;
    }
    const code = e instanceof AppError ? `${e.code}: ` : '';
    print(`journeys:rebuild could not run: ${code}${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

async function rebuild(
  args: Args,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  const config = parseConfig(CommonEnv, env);
  const conn = new NatsConnection(
    { ...busOptionsFrom(config, 'journeys-rebuild'), declareStreams: false },
    new HealthRegistry(),
  );
  await conn.onModuleInit();
  try {
    const client = new BusClient(conn, new BusPublisher(conn));
    print('rebuilding the journey projection from CONV_EVENTS…');
    const r = await client.request(
      RouterRequests.rebuildJourneys,
      { requestedBy: `cli:${userInfo().username}`, force: args.force },
      { timeoutMs: args.timeoutMs },
    );
    print(
      `rebuilt: ${r.applied} events applied (sequences ${r.firstSeq}–${r.lastSeq}, ` +
        `${r.skipped} skipped), ${r.conversations} conversations, ${r.durationMs} ms`,
    );
    return 0;
  } finally {
    await conn.onApplicationShutdown();
  }
}
