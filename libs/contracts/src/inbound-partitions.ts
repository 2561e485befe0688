/**
 * Inbound messages are spread over a fixed number of partitions by their sender (channel and
 * address), so that router instances can share the work while each sender's messages stay with
 * one instance at a time, in order. The partition is a token of the subject
 * (`msg.in.v1.<channel>.p07`): the gateway computes it, the router consumes each partition with
 * its own durable. The count is a wire contract, not a setting: a gateway and a router that
 * disagreed would leave partitions nobody reads. Changing it means a new subject version.
 */
export const INBOUND_PARTITIONS = 16;

/** What orders inbound messages: one sender on one channel (the router's per-key executor too). */
export function inboundOrderKey(m: { channel: string; from: { address: string } }): string {
  return `${m.channel}:${m.from.address}`;
}

/** FNV-1a (32 bit) of the key, modulo the partition count: stable across processes and versions. */
export function partitionOf(key: string, partitions: number = INBOUND_PARTITIONS): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/** The subject token of a partition: `p00` … `p15`. */
export function partitionToken(partition: number): string {
  if (!Number.isInteger(partition) || partition < 0 || partition >= INBOUND_PARTITIONS) {
    throw new RangeError(`partition ${partition} outside 0..${INBOUND_PARTITIONS - 1}`);
  }
  return `p${String(partition).padStart(2, '0')}`;
}

/** Every partition number, 0 … INBOUND_PARTITIONS - 1. */
export const ALL_INBOUND_PARTITIONS: readonly number[] = Object.freeze(
  Array.from({ length: INBOUND_PARTITIONS }, (_, p) => p),
);
