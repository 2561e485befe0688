import { balanceStep } from './partition-balance';
import type { UnitView } from './partition-balance';

const UNITS = Array.from({ length: 17 }, (_, i) => `u${String(i).padStart(2, '0')}`);

function views(entries: Array<[string, string | null, boolean?]>): Map<string, UnitView> {
  return new Map(entries.map(([unit, owner, stale]) => [unit, { unit, owner, stale: !!stale }]));
}

describe('balanceStep', () => {
  it('lets a lone instance claim every unit (npm start)', () => {
    const step = balanceStep({ me: 'a', units: UNITS, views: new Map(), liveMembers: 1, mine: [] });
    expect(step).toEqual({ claim: UNITS, release: [] });
  });

  it('releases the units above its share once a second instance is live', () => {
    const step = balanceStep({
      me: 'a',
      units: UNITS,
      views: views(UNITS.map((u) => [u, 'a'])),
      liveMembers: 2,
      mine: UNITS,
    });
    expect(step.claim).toEqual([]);
    expect(step.release).toEqual(UNITS.slice(9));
  });

  it('claims free and released units up to its share, never a live holder’s', () => {
    const v = views([
      ...UNITS.slice(0, 9).map((u): [string, string] => [u, 'a']),
      [UNITS[9]!, null],
    ]);
    const step = balanceStep({ me: 'b', units: UNITS, views: v, liveMembers: 2, mine: [] });
    expect(step.claim).toEqual(UNITS.slice(9, 17));
    expect(step.release).toEqual([]);
  });

  it('takes the units of a holder that stopped renewing (killed)', () => {
    const v = views(UNITS.map((u, i): [string, string, boolean] => [u, i < 9 ? 'a' : 'b', i < 9]));
    const step = balanceStep({
      me: 'b',
      units: UNITS,
      views: v,
      liveMembers: 1,
      mine: UNITS.slice(9),
    });
    expect(step.claim).toEqual(UNITS.slice(0, 9));
  });

  it('settles: shares differ by at most one and every unit is held', () => {
    const owner = new Map<string, string>();
    const members = ['a', 'b', 'c'];
    for (let round = 0; round < 6; round++) {
      for (const me of members) {
        const mine = UNITS.filter((u) => owner.get(u) === me);
        const v = new Map<string, UnitView>(
          [...owner].map(([unit, o]) => [unit, { unit, owner: o, stale: false }]),
        );
        const step = balanceStep({ me, units: UNITS, views: v, liveMembers: 3, mine });
        step.release.forEach((u) => owner.delete(u));
        step.claim.forEach((u) => owner.set(u, me));
      }
    }
    const shares = members.map((m) => UNITS.filter((u) => owner.get(u) === m).length);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(UNITS.length);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });
});
