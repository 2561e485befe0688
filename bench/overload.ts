import { pollUntil } from '@omnigate/testing';
import { openLoop, percentile } from './load';
import { benchId, postSms } from './sms-webhook';
import type { System } from './system';

/**
 * Issue 16 item 4: twice the saturating rate for 60 s. What must hold: webhooks keep answering
 * (p99 under 1 s), nothing accepted is lost, and the backlog drains afterwards. A webhook that is
 * refused (not 200) is one Twilio would send again; it is counted, not retried here.
 */
export interface OverloadResult {
  rate: number;
  seconds: number;
  sent: number;
  accepted: number;
  refused: number;
  /** Time from each request's due time to its HTTP answer (open loop), ms. */
  webhookP50: number;
  webhookP99: number;
  webhookMax: number;
  /** Accepted messages that reached the console's socket by the end of the drain. */
  delivered: number;
  lost: number;
  /** From the last request's due time until the last accepted message reached the console, ms. */
  drainMs: number | null;
  /** Webhook to console, for the accepted messages, ms. */
  endToEndP50: number;
  endToEndP99: number;
}

export interface OverloadOptions {
  step: number;
  rate: number;
  seconds: number;
  /** How long the backlog may take to drain before the rest counts as lost. */
  drainTimeoutMs: number;
  /** Registers the console-event listener; the bench has one for the whole run. */
  onDelivered(listen: (id: string, at: number) => void): void;
}

export async function runOverload(sys: System, o: OverloadOptions): Promise<OverloadResult> {
  const due = new Map<string, number>();
  const endToEnd: number[] = [];
  let lastDelivery = 0;
  o.onDelivered((id, at) => {
    const t = due.get(id);
    if (t === undefined) return;
    endToEnd.push(at - t);
    lastDelivery = at;
    due.delete(id);
  });
  const answers: number[] = [];
  let accepted = 0;
  let refused = 0;
  let lastDue = 0;
  await openLoop(o.rate, o.seconds, async (i, dueAt) => {
    const id = benchId(o.step, i);
    due.set(id, dueAt);
    lastDue = dueAt;
    const status = await postSms(sys, o.step, i);
    answers.push(performance.now() - dueAt);
    if (status === 200) accepted++;
    else {
      refused++;
      due.delete(id);
    }
  });
  await pollUntil(() => due.size === 0, {
    timeoutMs: o.drainTimeoutMs,
    intervalMs: 250,
    what: 'the overload backlog to drain',
  }).catch(() => undefined);
  const sortedAnswers = answers.sort((a, b) => a - b);
  const sortedE2e = endToEnd.sort((a, b) => a - b);
  return {
    rate: o.rate,
    seconds: o.seconds,
    sent: answers.length,
    accepted,
    refused,
    webhookP50: percentile(sortedAnswers, 50),
    webhookP99: percentile(sortedAnswers, 99),
    webhookMax: sortedAnswers.at(-1) ?? NaN,
    delivered: endToEnd.length,
    lost: due.size,
    drainMs: due.size === 0 && endToEnd.length > 0 ? lastDelivery - lastDue : null,
    endToEndP50: percentile(sortedE2e, 50),
    endToEndP99: percentile(sortedE2e, 99),
  };
}

/** The verdict lines the bench prints under the overload step. */
export function overloadLines(r: OverloadResult): string[] {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  const webhookOk = r.webhookP99 < 1000;
  return [
    `overload: ${r.rate} msg/s for ${r.seconds} s (twice the saturating rate): ${r.sent} sent, ${r.accepted} accepted, ${r.refused} refused (the provider would retry)`,
    `  webhook answer p50 ${f(r.webhookP50)} ms, p99 ${f(r.webhookP99)} ms, max ${f(r.webhookMax)} ms (target p99 < 1000 ms: ${webhookOk ? 'met' : 'MISSED'})`,
    `  delivered to the console ${r.delivered}/${r.accepted}, lost ${r.lost} (target 0: ${r.lost === 0 ? 'met' : 'MISSED'}); backlog drained ${r.drainMs === null ? 'NOT within the wait' : `${(r.drainMs / 1000).toFixed(1)} s after the last request`}`,
    `  webhook → console p50 ${f(r.endToEndP50)} ms, p99 ${f(r.endToEndP99)} ms`,
  ];
}
