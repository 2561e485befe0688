import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Socket } from 'socket.io-client';
import { installTracing, setLogSink } from '@omnigate/kit';
import type { RunningTracing } from '@omnigate/kit';
import { pollUntil } from '@omnigate/testing';
import { agentLogin, api, injectSms, json, liveConsole, startSystem } from './system.harness';
import type { System } from './system.harness';

// database-incidental: the trace of a message across the apps; what the router stores is tested
// on both databases by its own integration tests.

const GIULIA = '+393471234567';
/** The inbound subject, with the router partition's token when inbound is partitioned. */
const INBOUND_PUBLISH: unknown = expect.stringMatching(/^publish msg\.in\.v1\.sms(\.[a-z0-9]+)?$/);

/** The span's name, then its parent's, up to the root (spans of one process: all are here). */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): string[] {
  const byId = new Map(all.map((x) => [x.spanContext().spanId, x] as const));
  const names: string[] = [];
  for (let s: ReadableSpan | undefined = span; s;) {
    names.push(s.name);
    const parent: string | undefined = s.parentSpanContext?.spanId;
    s = parent ? byId.get(parent) : undefined;
  }
  return names;
}

describe('traces across the bus', () => {
  const exporter = new InMemorySpanExporter();
  const logs: string[] = [];
  const sockets: Socket[] = [];
  let tracing: RunningTracing;
  let restoreSink: ReturnType<typeof setLogSink>;
  let sys: System;

  beforeAll(async () => {
    tracing = await installTracing([new SimpleSpanProcessor(exporter)], 'omnigate-test');
    restoreSink = setLogSink((line) => logs.push(line));
    sys = await startSystem({
      skip: ['gateway-inapp', 'gateway-whatsapp', 'gateway-telegram', 'gateway-email', 'vault'],
      env: { LOG_LEVEL: 'log' },
    });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await sys?.stop();
    setLogSink(restoreSink);
    await tracing?.stop();
  });

  const spans = () => exporter.getFinishedSpans();
  const inTrace = (traceId: string) => spans().filter((s) => s.spanContext().traceId === traceId);
  /** The named span of this trace once every span up to the trace's root has ended too. */
  const wholeChain = (traceId: string, name: string, what: string) =>
    pollUntil(
      () => {
        const all = inTrace(traceId);
        const span = all.find((s) => s.name === name);
        const root = all.find((s) => s.parentSpanContext === undefined);
        if (!span || !root || ancestry(span, all).at(-1) !== root.name) return undefined;
        return { span, all };
      },
      { what, timeoutMs: 15_000 },
    );
  const logsOf = (traceId: string) =>
    logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.traceId === traceId);

  it('follows one SMS’s trace across every hop with an in-memory exporter', async () => {
    const token = await agentLogin(sys);
    const live = await liveConsole(sys, token, sockets);
    const sms = await injectSms(sys, GIULIA, 'Buongiorno, la mia carta risulta bloccata');
    expect(sms.status).toBe(200);
    await live.created('sms');

    // The webhook's span starts the trace: Twilio sends no traceparent.
    const webhook = await pollUntil(() => spans().find((s) => s.name === 'inbound sms'), {
      what: 'the webhook span',
    });
    expect(webhook.parentSpanContext).toBeUndefined();
    const traceId = webhook.spanContext().traceId;
    // The bot's reply goes out through Twilio in the same trace (its spans end after the send's).
    const { span: send, all } = await wholeChain(traceId, 'send sms', 'the bot’s reply sent');
    const emitted = await wholeChain(traceId, 'console emit', 'the console’s socket emit');
    expect(ancestry(emitted.span, emitted.all)).toEqual([
      'console emit',
      'broadcast conv.v1.*.event',
      'publish conv.v1.*.event',
      'process router-inbound',
      INBOUND_PUBLISH,
      'inbound sms',
    ]);
    const outbound = ancestry(send, all);
    expect(outbound.slice(0, 4)).toEqual([
      'send sms',
      'process gateway-sms-send',
      'publish msg.out.v1.sms',
      'router bot',
    ]);
    expect(outbound.slice(-3)).toEqual(['process router-inbound', INBOUND_PUBLISH, 'inbound sms']);
    // Each of the router's stages is a child of the inbound message's processing.
    for (const stage of ['router identity', 'router persist', 'router context', 'router bot']) {
      const span = all.find((s) => s.name === stage);
      expect(span && ancestry(span, all)).toContain('process router-inbound');
    }
    // Log lines written inside the spans carry the trace id, in the gateway and the router.
    const lines = logsOf(traceId);
    expect(lines.find((l) => l.msg === 'inbound published')).toBeDefined();
    expect(lines.find((l) => l.msg === 'send' && l.outcome === 'sent')).toBeDefined();
  });

  it('follows an agent’s reply from the console’s request to the provider send', async () => {
    const console_ = api(sys, await agentLogin(sys));
    const list = await json<Array<{ id: string }>>(
      await console_.get('/api/conversations?status=all'),
    );
    const res = await console_.post(`/api/conversations/${list[0]!.id}/messages`, {
      text: 'Controllo subito la carta.',
      channel: 'sms',
    });
    expect(res.status).toBe(201);
    const request = await pollUntil(
      () => spans().find((s) => s.name === 'request rpc.v1.router.send_reply'),
      { what: 'the console’s request span' },
    );
    const traceId = request.spanContext().traceId;
    const { span: send, all } = await wholeChain(traceId, 'send sms', 'the agent’s reply sent');
    expect(ancestry(send, all)).toEqual([
      'send sms',
      'process gateway-sms-send',
      'publish msg.out.v1.sms',
      'serve rpc.v1.router.send_reply',
      'request rpc.v1.router.send_reply',
    ]);
  });
});
