/**
 * What tracing costs on the hot path, per call of each hook, with tracing off (the default: no
 * exporter) and on (spans recorded by a provider whose processor drops them, so only our side is
 * measured). Run: `node -r @swc-node/register bench/tracing-cost.bench.ts`.
 * Off, every hook must be a boolean test and a direct call: nanoseconds against the ~1 ms a
 * message spends on the bus and in the database.
 */
import { headers as natsHeaders } from 'nats';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  JsonLogger,
  activeTraceFields,
  inSpan,
  installTracing,
  setLogSink,
  tracingEnabled,
} from '@omnigate/kit';
import { tracePublish, traceDelivery } from '../libs/bus/src/trace-context';

const N = Number(process.env.BENCH_CALLS ?? 200_000);
const work = () => Promise.resolve(1);

/** The best of five rounds of N calls (a shared machine's noise only ever adds time). */
async function perCallNs(label: string, call: () => unknown): Promise<number> {
  for (let i = 0; i < 10_000; i++) await call(); // warm-up (JIT)
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await call();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / N);
  }
  process.stdout.write(`  ${label.padEnd(46)} ${best.toFixed(0).padStart(6)} ns/call\n`);
  return best;
}

async function hooks(): Promise<void> {
  const logger = new JsonLogger('bench');
  const h = natsHeaders();
  const m = { subject: 'msg.in.v1.sms', headers: h };
  await perCallNs('direct call (baseline)', work);
  await perCallNs('inSpan(name, work)', () => inSpan('bench', work));
  await perCallNs('tracePublish(subject, headers, publish)', () =>
    tracePublish('msg.in.v1.sms', h, work),
  );
  await perCallNs('traceDelivery(process, durable, msg, handle)', () =>
    traceDelivery('process', 'router-inbound', m, work),
  );
  await perCallNs('activeTraceFields() (what a log line adds)', activeTraceFields);
  await perCallNs('a log line (JsonLogger, sink discards)', () =>
    logger.log({ msg: 'inbound published', channel: 'sms', seq: 1 }),
  );
}

async function main(): Promise<void> {
  const restore = setLogSink(() => undefined);
  process.stdout.write(`tracing off (${N} calls each):\n`);
  await hooks();
  const drop: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (_s: ReadableSpan) => undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const tracing = await installTracing([drop], 'bench');
  process.stdout.write(`tracing on, spans dropped (${tracingEnabled()}):\n`);
  await hooks();
  await tracing.stop();
  setLogSink(restore);
}

void main();
