import type { Channel } from '@omnigate/contracts';

export interface ReplyTarget {
  channel: Channel;
  address: string;
}

export interface ReplyTargetInput {
  /** The channel the agent chose, if any. */
  requested: Channel | undefined;
  conversation: { lastChannel: Channel; lastAddress: string };
  /** The customer's identities (revoked ones are ignored). */
  identities: ReadonlyArray<{ channel: string; address: string; status: string; createdAt: Date }>;
}

/**
 * Where an agent's reply goes: the chosen channel or the one the customer used last; on the last
 * channel, the address the customer wrote from; elsewhere the customer's own address on that
 * channel (a linked one before an unverified one, then the newest). Null: no address there. Pure.
 */
export function chooseReplyTarget(input: ReplyTargetInput): ReplyTarget | null {
  const channel = input.requested ?? input.conversation.lastChannel;
  if (channel === input.conversation.lastChannel) {
    return { channel, address: input.conversation.lastAddress };
  }
  const candidates = input.identities
    .filter((i) => i.channel === channel && i.status !== 'revoked')
    .sort(
      (a, b) => rank(a.status) - rank(b.status) || b.createdAt.getTime() - a.createdAt.getTime(),
    );
  const best = candidates[0];
  return best ? { channel, address: best.address } : null;
}

function rank(status: string): number {
  return status === 'linked' ? 0 : 1;
}
