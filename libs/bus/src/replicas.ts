import type { JetStreamManager } from 'nats';
import { BusReplicasError, isPermissionError } from './bus.errors';

/** JetStream keeps at most five copies of a stream. */
export const MAX_REPLICAS = 5;

/**
 * The replica count to write into a stream's config, or null to leave it as it is. `want`
 * undefined (NATS_REPLICAS unset, a test's probe) never changes an existing stream: only a
 * setting someone chose may scale a production R3 stream down.
 */
export function replicasChange(have: number, want: number | undefined): number | null {
  if (want === undefined) return null;
  const current = have > 0 ? have : 1;
  return current === want ? null : want;
}

/**
 * Brings an existing stream (a standard one, or the stream behind a KV bucket or object store) to
 * `want` copies. NATS 2.9 scales a clustered stream up or down on update, its consumers with it
 * (they follow the stream's count). A user that may not update the stream leaves it to its owner.
 */
export async function ensureReplicas(
  jsm: JetStreamManager,
  stream: string,
  want: number | undefined,
  log?: (entry: Record<string, unknown>) => void,
): Promise<void> {
  if (want === undefined) return;
  const info = await jsm.streams.info(stream);
  const next = replicasChange(info.config.num_replicas, want);
  if (next === null) return;
  try {
    await jsm.streams.update(stream, { num_replicas: next });
    log?.({ msg: 'stream replicas changed', stream, from: info.config.num_replicas, to: next });
  } catch (e) {
    if (isPermissionError(e)) {
      log?.({ msg: 'stream replicas differ; its owner changes them', stream, want: next });
      return;
    }
    throw replicasError(e, stream, next);
  }
}

/**
 * A create or update the cluster cannot place (more copies than servers, or one server that is
 * not clustered) becomes BUS.REPLICAS_UNAVAILABLE naming the setting to fix; anything else as is.
 */
export function replicasError(e: unknown, stream: string, replicas: number): unknown {
  const err = e as { api_error?: { err_code?: number }; message?: string } | null;
  const placement =
    err?.api_error?.err_code === 10005 ||
    err?.api_error?.err_code === 10074 ||
    /suitable peers|non-clustered|insufficient resources|replicas > 1/i.test(err?.message ?? '');
  if (!placement) return e;
  return new BusReplicasError(
    `stream ${stream} needs ${replicas} replicas, which this NATS deployment cannot place: ` +
      'set NATS_REPLICAS to at most the number of clustered servers (1 on a single server)',
    e,
  );
}
