/** One limited key's window: when OTPs were let through, and how many were refused since. */
export interface OtpWindow {
  times: number[];
  refused: number;
  /**
   * Which request took each slot (a hash of the inbound message, same index as `times`), so that
   * the same request handled again (a redelivery) holds its slot instead of taking another.
   * Absent in windows written before it existed.
   */
  by?: string[];
}

export interface OtpAdmission {
  allowed: boolean;
  /** The first refusal since the last OTP let through: the one an auditor needs to see. */
  firstRefusal: boolean;
  next: OtpWindow;
}

/**
 * Lets an OTP through while fewer than `max` were within the window, counting it; otherwise
 * refuses and counts the refusal (reset by the next one let through). Pure.
 */
export function admitOtp(
  current: OtpWindow | undefined,
  now: number,
  max: number,
  windowMs: number,
  /** The request asking (a redelivery of one that holds a slot is let through on it). */
  request?: string,
): OtpAdmission {
  // Later times stay: another instance that read the clock a moment after us may have written first.
  const all = current?.times ?? [];
  const keep = all.map((t) => t > now - windowMs);
  const times = all.filter((_, i) => keep[i]);
  const by = current?.by?.length === all.length ? current.by.filter((_, i) => keep[i]) : null;
  const window = (t: number[], b: string[] | null, refused: number): OtpWindow =>
    b ? { times: t, refused, by: b } : { times: t, refused };
  if (request !== undefined && by?.includes(request)) {
    return { allowed: true, firstRefusal: false, next: window(times, by, current?.refused ?? 0) };
  }
  if (times.length < max) {
    const owners = request === undefined ? null : [...(by ?? times.map(() => '')), request];
    return { allowed: true, firstRefusal: false, next: window([...times, now], owners, 0) };
  }
  const refused = (current?.refused ?? 0) + 1;
  return { allowed: false, firstRefusal: refused === 1, next: window(times, by, refused) };
}

/** The window without the one OTP let through at `at` (its request failed before anything was sent). Pure. */
export function releaseOtp(current: OtpWindow, at: number): OtpWindow {
  const i = current.times.indexOf(at);
  if (i === -1) return current;
  const without = <T>(xs: T[]) => [...xs.slice(0, i), ...xs.slice(i + 1)];
  const by = current.by?.length === current.times.length ? without(current.by) : undefined;
  return { times: without(current.times), refused: current.refused, ...(by ? { by } : {}) };
}
