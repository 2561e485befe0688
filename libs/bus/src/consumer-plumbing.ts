import { DeliverPolicy } from 'nats';
import type { ConsumerConfig, JetStreamManager, JsMsg } from 'nats';
import { isNotFound } from './nats-connection';
import type { MessageContext } from './durable-consumer';

/**
 * Creates the durable, or brings an existing one to this build's ack_wait and limits. One whose
 * filter changed (NATS 2.9 cannot change it: `router-inbound` read `msg.in.v1.>` before inbound
 * partitions) is made again from the first message it had not acknowledged.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    const info = await jsm.consumers.info(stream, config.durable_name);
    if (config.filter_subject && info.config.filter_subject !== config.filter_subject) {
      await jsm.consumers.delete(stream, config.durable_name);
      await jsm.consumers.add(stream, {
        ...config,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: info.ack_floor.stream_seq + 1,
      });
      return;
    }
    await jsm.consumers.update(stream, config.durable_name, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.consumers.add(stream, config);
  }
}

export function decode(m: JsMsg): unknown {
  try {
    return JSON.parse(Buffer.from(m.data).toString('utf8'));
  } catch {
    return undefined;
  }
}

export function contextOf(m: JsMsg): MessageContext {
  const headers: Record<string, string> = {};
  for (const k of m.headers?.keys() ?? []) headers[k] = m.headers?.get(k) ?? '';
  return {
    subject: m.subject,
    streamSeq: m.seq,
    deliveryCount: m.info.deliveryCount,
    headers,
    working: () => m.working(),
  };
}
