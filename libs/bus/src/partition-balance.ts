/** One partition's lease as an instance sees it in the lease bucket. */
export interface UnitView {
  unit: string;
  /** Who holds it; null when nobody ever did or its holder released it. */
  owner: string | null;
  /** Its entry did not change for a whole lease term (seen by this instance's own clock). */
  stale: boolean;
}

export interface BalanceInput {
  me: string;
  /** Every unit (partition) of the group, in a fixed order. */
  units: readonly string[];
  views: ReadonlyMap<string, UnitView>;
  /** Instances whose heartbeat changed within a lease term, this one included. */
  liveMembers: number;
  /** Units this instance holds now (its own record, not the bucket's). */
  mine: readonly string[];
}

export interface BalanceStep {
  claim: string[];
  release: string[];
}

/**
 * What an instance does at a tick: hold its fair share, ceil(units / live instances). Above it,
 * release the last units it holds (only when another instance is there to take them); below it,
 * claim units that nobody holds or whose holder stopped renewing. Every instance runs the same
 * rule, so the group settles with shares that differ by at most one. Pure.
 */
export function balanceStep(input: BalanceInput): BalanceStep {
  const { me, units, views, mine } = input;
  const members = Math.max(1, input.liveMembers);
  const share = Math.ceil(units.length / members);
  const held = new Set(mine);
  if (held.size > share && members > 1) {
    const ordered = units.filter((u) => held.has(u));
    return { claim: [], release: ordered.slice(share) };
  }
  const wanted = share - held.size;
  if (wanted <= 0) return { claim: [], release: [] };
  const claimable = units.filter((u) => {
    if (held.has(u)) return false;
    const v = views.get(u);
    return !v || v.owner === null || v.stale || v.owner === me;
  });
  return { claim: claimable.slice(0, wanted), release: [] };
}
