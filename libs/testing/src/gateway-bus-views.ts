import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { BusPublisher, KvStore } from '@omnigate/bus';
import {
  ConsentChangedV1Schema,
  OutboundMessageV1Schema,
  Subjects,
  consentChangedMsgId,
} from '@omnigate/contracts';
import type {
  Channel,
  ConsentChangedV1,
  InboundMessageV1,
  OutboundMessageV1,
  SealedCardV1,
} from '@omnigate/contracts';
import { vetoOf } from '@omnigate/gateway-kit';
import type { RecipientEntry } from '@omnigate/gateway-kit';
import { publishOutbound, readSubject, statusesOf, waitForStatus } from './bus-probe';
import type { GatewaySystem } from './gateway-system';
import { pollUntil } from './poll-until';

/** What a gateway's test reads and writes on the bus, standing in for the router and the vault. */
export type BusViews = Pick<
  GatewaySystem,
  | 'inbound'
  | 'waitForInbound'
  | 'sealedCards'
  | 'statuses'
  | 'waitForStatus'
  | 'publishOutbound'
  | 'publishConsent'
  | 'kv'
  | 'veto'
  | 'redeliver'
>;

/** `managementUrl`: where the gateway's /metrics is (its management port). */
export function busViews(probe: TestingModule, managementUrl: string, channel: Channel): BusViews {
  const kv = async <T>(bucket: string, key: string) =>
    (await probe.get(KvStore).bucket<T>(bucket, 0)).get(key);
  // Every partition of the channel: the gateway publishes on its sender's (msg.in.v1.sms.p07).
  const inbound = () =>
    readSubject<InboundMessageV1>(probe, 'MSG_IN', `${Subjects.inbound(channel)}.*`);
  return {
    inbound,
    waitForInbound: (id) =>
      pollUntil(async () => (await inbound()).find((m) => m.providerMessageId === id), {
        timeoutMs: 15_000,
        what: `inbound ${id}`,
      }),
    sealedCards: () => readSubject<SealedCardV1>(probe, 'CARDS', Subjects.sealedCard(channel)),
    statuses: (messageId) => statusesOf(probe, channel, messageId),
    waitForStatus: (messageId, state) => waitForStatus(probe, channel, messageId, state),
    publishOutbound: (to, text, over = {}) => publishOutbound(probe, channel, to, text, over),
    publishConsent: async (addresses, changes, source = 'app') => {
      const event: ConsentChangedV1 = {
        type: 'omnigate.consent.changed.v1',
        version: 1,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
        channel,
        addresses,
        changes,
        source,
      };
      await probe
        .get(BusPublisher)
        .publish(Subjects.consentChanged(channel), ConsentChangedV1Schema, event, {
          msgId: consentChangedMsgId('test-customer', event),
        });
      return event;
    },
    kv,
    redeliver: (msg) => redeliver(probe, managementUrl, channel, msg),
    veto: async (address, purpose = 'service') =>
      vetoOf(await kv<RecipientEntry>(`${channel}_vetoes`, address), purpose),
  };
}

async function redeliver(
  probe: TestingModule,
  managementUrl: string,
  channel: Channel,
  msg: OutboundMessageV1,
): Promise<string> {
  const before = await sendsByOutcome(managementUrl, channel);
  await probe.get(BusPublisher).publish(Subjects.outbound(channel), OutboundMessageV1Schema, msg, {
    msgId: `redelivery:${randomUUID()}`,
  });
  return pollUntil(
    async () => {
      const after = await sendsByOutcome(managementUrl, channel);
      return Object.keys(after).find((o) => after[o]! > (before[o] ?? 0));
    },
    { timeoutMs: 15_000, what: `the redelivery of ${msg.messageId} handled` },
  );
}

/** omnigate_gateway_sends_total of one channel, by outcome. */
async function sendsByOutcome(managementUrl: string, channel: Channel) {
  const text = await (await fetch(`${managementUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^omnigate_gateway_sends_total\{([^}]*)\} (\S+)$/gm)) {
    const labels = m[1]!;
    const outcome = /outcome="([^"]*)"/.exec(labels)?.[1];
    if (outcome && labels.includes(`channel="${channel}"`)) out[outcome] = Number(m[2]);
  }
  return out;
}
