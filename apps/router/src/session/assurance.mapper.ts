import { ASSURANCE_LEVELS, AssuranceLevelSchema } from '@omnigate/contracts';
import type { AssuranceLevel, AssuranceState, InboundMessageV1 } from '@omnigate/contracts';

const rank = (l: AssuranceLevel) => ASSURANCE_LEVELS.indexOf(l);
const live = (s: AssuranceState, now: number) => Date.parse(s.expiresAt) > now;

/**
 * The states a session keeps: at most one per level (the one that lasts longest), none expired.
 * Keeping each level (not only the top one) lets an app session still count after the strong
 * login inside it has expired. Pure.
 */
export function mergeAssurance(
  states: readonly AssuranceState[],
  incoming: AssuranceState,
  now: number,
): AssuranceState[] {
  const byLevel = new Map<AssuranceLevel, AssuranceState>();
  for (const s of [...states, incoming]) {
    if (!live(s, now) || s.level === 'none') continue;
    const had = byLevel.get(s.level);
    if (!had || Date.parse(s.expiresAt) > Date.parse(had.expiresAt)) byLevel.set(s.level, s);
  }
  return [...byLevel.values()].sort((a, b) => rank(b.level) - rank(a.level));
}

/**
 * The states that count on a channel: a strong level only on the channel that proved it (the
 * app's biometric login proves the person holding the app, not whoever writes on Telegram; a
 * sensitive action needs its own approval anyway, see StepUpService). Without a channel (an
 * agent's view across channels) no strong level counts. Lower levels count everywhere. Pure.
 */
export function statesOn(
  states: readonly AssuranceState[],
  on: string | undefined,
): AssuranceState[] {
  return states.filter((s) => s.level !== 'strong' || (on !== undefined && s.channel === on));
}

/** The highest unexpired state, or null. Pure. */
export function effectiveAssurance(
  states: readonly (AssuranceState | null | undefined)[],
  now: number,
): AssuranceState | null {
  let best: AssuranceState | null = null;
  for (const s of states) {
    if (!s || !live(s, now)) continue;
    if (!best || rank(s.level) > rank(best.level)) best = s;
  }
  return best;
}

export interface AssuranceTtls {
  strongMs: number;
  appSessionMs: number;
}

/**
 * What an in-app message proves for the session: the JWT's level from its login time (a face ID
 * two hours ago is not strong now), never beyond the token's own expiry. A strong login is also
 * an app session, which outlasts it. Pure.
 */
export function assuranceFromInbound(
  msg: Pick<InboundMessageV1, 'channel' | 'auth'>,
  now: number,
  ttl: AssuranceTtls,
): AssuranceState[] {
  const { auth } = msg;
  if (msg.channel !== 'inapp' || auth.method !== 'app_jwt') return [];
  if (auth.level !== 'strong' && auth.level !== 'app_session') return [];
  const tokenEnd = auth.expiresAt ? Date.parse(auth.expiresAt) : Infinity;
  const state = (level: 'strong' | 'app_session', from: number, ttlMs: number) => {
    const until = Math.min(from + ttlMs, tokenEnd);
    return until > now
      ? [
          {
            level,
            reachedAt: new Date(from).toISOString(),
            expiresAt: new Date(until).toISOString(),
            source: 'app_jwt',
            channel: 'inapp',
          },
        ]
      : [];
  };
  const session = state('app_session', now, ttl.appSessionMs);
  if (auth.level === 'app_session') return session;
  const loginAt = auth.authenticatedAt ? Date.parse(auth.authenticatedAt) : now;
  return [...state('strong', Math.min(loginAt, now), ttl.strongMs), ...session];
}

/**
 * What the customer's links alone are worth: possession at most (a linked app account proves the
 * device, not who holds it now; a live app session comes through the session). Pure.
 */
export function linkAssurance(
  identities: readonly { status: string; assurance: string; linkMethod: string; channel: string }[],
  now: number,
  validForMs: number,
): AssuranceState | null {
  let best: { level: AssuranceLevel; linkMethod: string; channel: string } | null = null;
  for (const i of identities) {
    if (i.status !== 'linked') continue;
    const parsed = AssuranceLevelSchema.safeParse(i.assurance);
    if (!parsed.success || parsed.data === 'none') continue;
    const level: AssuranceLevel =
      rank(parsed.data) > rank('possession') ? 'possession' : parsed.data;
    if (!best || rank(level) > rank(best.level)) {
      best = { level, linkMethod: i.linkMethod, channel: i.channel };
    }
  }
  if (!best) return null;
  return {
    level: best.level,
    reachedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + validForMs).toISOString(),
    source: `link:${best.linkMethod}`.slice(0, 64),
    channel: best.channel,
  };
}

export function noAssurance(now: number): AssuranceState {
  const at = new Date(now).toISOString();
  return { level: 'none', reachedAt: at, expiresAt: at, source: 'none' };
}
