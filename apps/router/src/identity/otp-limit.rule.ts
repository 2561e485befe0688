/** One limited key's window: when OTPs were let through, and how many were refused since. */
export interface OtpWindow {
  times: number[];
  refused: number;
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
): OtpAdmission {
  // Later times stay: another instance that read the clock a moment after us may have written first.
  const times = (current?.times ?? []).filter((t) => t > now - windowMs);
  if (times.length < max) {
    return { allowed: true, firstRefusal: false, next: { times: [...times, now], refused: 0 } };
  }
  const refused = (current?.refused ?? 0) + 1;
  return { allowed: false, firstRefusal: refused === 1, next: { times, refused } };
}

/** The window without the one OTP let through at `at` (its request failed before anything was sent). Pure. */
export function releaseOtp(current: OtpWindow, at: number): OtpWindow {
  const i = current.times.indexOf(at);
  if (i === -1) return current;
  return { ...current, times: [...current.times.slice(0, i), ...current.times.slice(i + 1)] };
}
