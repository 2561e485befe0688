import { admitOtp, releaseOtp } from './otp-limit.rule';
import type { OtpWindow } from './otp-limit.rule';

const WINDOW = 60_000;

describe('admitOtp', () => {
  it('lets `max` through within the window, then refuses; only the first refusal is marked', () => {
    let w: OtpWindow | undefined;
    const allowed: boolean[] = [];
    const first: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const a = admitOtp(w, 1000 + i, 3, WINDOW);
      allowed.push(a.allowed);
      first.push(a.firstRefusal);
      w = a.next;
    }
    expect(allowed).toEqual([true, true, true, false, false, false]);
    expect(first).toEqual([false, false, false, true, false, false]);
    expect(w).toEqual({ times: [1000, 1001, 1002], refused: 3 });
  });

  it('counts a time later than its own clock (a racing instance wrote first)', () => {
    expect(admitOtp({ times: [1005, 1006, 1007], refused: 0 }, 1000, 3, WINDOW).allowed).toBe(
      false,
    );
  });

  it('lets one through again once the oldest left the window, and a new episode is audited anew', () => {
    const full: OtpWindow = { times: [0, 10, 20], refused: 4 };
    const later = admitOtp(full, WINDOW + 1, 3, WINDOW);
    expect(later).toEqual({
      allowed: true,
      firstRefusal: false,
      next: { times: [10, 20, WINDOW + 1], refused: 0 },
    });
    expect(admitOtp(later.next, WINDOW + 2, 3, WINDOW).firstRefusal).toBe(true);
  });

  it('gives back the slot a failed request took, and only that one', () => {
    let w: OtpWindow | undefined;
    for (const at of [1000, 1001, 1002]) w = admitOtp(w, at, 3, WINDOW).next;
    expect(admitOtp(w, 1003, 3, WINDOW).allowed).toBe(false);
    const back = releaseOtp(w!, 1001);
    expect(back.times).toEqual([1000, 1002]);
    expect(admitOtp(back, 1003, 3, WINDOW).allowed).toBe(true);
    // A time no longer there (already given back, or out of the window): nothing changes.
    expect(releaseOtp(back, 1001)).toEqual(back);
  });
});

/** A window of 3 where each [time, request] took a slot in turn. */
function takenBy(slots: Array<[number, string]>): OtpWindow {
  let w: OtpWindow | undefined;
  for (const [at, req] of slots) w = admitOtp(w, at, 3, WINDOW, req).next;
  return w!;
}

describe('admitOtp for a request handled again (a redelivery)', () => {
  it('lets the same request through on the slot it holds, without taking another', () => {
    const w = takenBy([
      [1000, 'a'],
      [1001, 'b'],
    ]);
    const again = admitOtp(w, 1500, 3, WINDOW, 'a');
    expect(again.allowed).toBe(true);
    expect(again.next).toEqual({ times: [1000, 1001], refused: 0, by: ['a', 'b'] });
    // The third request still gets the last slot, the fourth is refused; 'b' again is not.
    const c = admitOtp(again.next, 1600, 3, WINDOW, 'c');
    expect(c.allowed).toBe(true);
    expect(admitOtp(c.next, 1700, 3, WINDOW, 'd').allowed).toBe(false);
    expect(admitOtp(c.next, 1700, 3, WINDOW, 'b').allowed).toBe(true);
  });

  it('forgets a request whose slot left the window, and reads windows written without owners', () => {
    const w = admitOtp(undefined, 0, 1, WINDOW, 'a').next;
    expect(admitOtp(w, WINDOW + 1, 1, WINDOW, 'b').next).toEqual({
      times: [WINDOW + 1],
      refused: 0,
      by: ['b'],
    });
    const old: OtpWindow = { times: [10, 20], refused: 0 };
    const next = admitOtp(old, 30, 3, WINDOW, 'a').next;
    expect(next).toEqual({ times: [10, 20, 30], refused: 0, by: ['', '', 'a'] });
    expect(admitOtp(next, 40, 3, WINDOW, 'a').allowed).toBe(true);
  });

  it('gives back a slot with its owner', () => {
    const w = takenBy([
      [1000, 'a'],
      [1001, 'b'],
    ]);
    expect(releaseOtp(w, 1000)).toEqual({ times: [1001], refused: 0, by: ['b'] });
  });
});
