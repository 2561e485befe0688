import type { AssuranceState, InboundMessageV1 } from '@omnigate/contracts';
import {
  assuranceFromInbound,
  effectiveAssurance,
  linkAssurance,
  mergeAssurance,
  statesOn,
} from './assurance.mapper';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const state = (level: AssuranceState['level'], expiresIn: number): AssuranceState => ({
  level,
  reachedAt: at(0),
  expiresAt: at(expiresIn),
  source: 'test',
});
const TTL = { strongMs: 600_000, appSessionMs: 1_800_000 };

describe('mergeAssurance / effectiveAssurance', () => {
  it('keeps the highest level while it lasts, then falls back to the next one', () => {
    const states = mergeAssurance([state('app_session', 1_800_000)], state('strong', 600_000), NOW);
    expect(states.map((s) => s.level)).toEqual(['strong', 'app_session']);
    expect(effectiveAssurance(states, NOW)?.level).toBe('strong');
    expect(effectiveAssurance(states, NOW + 600_000)?.level).toBe('app_session');
    expect(effectiveAssurance(states, NOW + 1_800_000)).toBeNull();
  });

  it('keeps the longer-lasting state of a level and drops expired or none states', () => {
    const states = mergeAssurance(
      [state('strong', 60_000), state('possession', -1)],
      state('strong', 120_000),
      NOW,
    );
    expect(states).toEqual([state('strong', 120_000)]);
    expect(mergeAssurance(states, state('strong', 30_000), NOW)).toEqual([
      state('strong', 120_000),
    ]);
    expect(mergeAssurance([], state('none', 60_000), NOW)).toEqual([]);
  });

  it('picks the best of several sources, ignoring null and expired ones', () => {
    expect(
      effectiveAssurance([null, state('possession', 60_000), state('strong', -1)], NOW)?.level,
    ).toBe('possession');
  });
});

describe('assuranceFromInbound', () => {
  const app = (
    auth: Partial<InboundMessageV1['auth']>,
  ): Pick<InboundMessageV1, 'channel' | 'auth'> => ({
    channel: 'inapp',
    auth: { method: 'app_jwt', level: 'app_session', subject: 'app-giulia', ...auth },
  });

  it('counts a strong login from its login time, not from the message', () => {
    const s = assuranceFromInbound(
      app({ level: 'strong', authenticatedAt: at(-120_000) }),
      NOW,
      TTL,
    );
    expect(s[0]).toMatchObject({
      level: 'strong',
      reachedAt: at(-120_000),
      expiresAt: at(480_000),
    });
    // A strong login is also an app session, which lasts longer.
    expect(s[1]).toMatchObject({ level: 'app_session', expiresAt: at(1_800_000) });
  });

  it('gives no strong level for a strong login older than the window (an app session only)', () => {
    expect(
      assuranceFromInbound(app({ level: 'strong', authenticatedAt: at(-700_000) }), NOW, TTL).map(
        (x) => x.level,
      ),
    ).toEqual(['app_session']);
  });

  it('gives an app session for its TTL, never beyond the token expiry', () => {
    expect(assuranceFromInbound(app({}), NOW, TTL)).toMatchObject([
      {
        level: 'app_session',
        expiresAt: at(1_800_000),
        source: 'app_jwt',
      },
    ]);
    expect(assuranceFromInbound(app({ expiresAt: at(60_000) }), NOW, TTL)[0]?.expiresAt).toBe(
      at(60_000),
    );
  });

  it('gives nothing outside the app or without the JWT', () => {
    expect(
      assuranceFromInbound(
        { channel: 'telegram', auth: { method: 'app_jwt', level: 'strong' } },
        NOW,
        TTL,
      ),
    ).toEqual([]);
    expect(
      assuranceFromInbound({ channel: 'inapp', auth: { method: 'none', level: 'none' } }, NOW, TTL),
    ).toEqual([]);
  });
});

describe('linkAssurance', () => {
  const id = (status: string, assurance: string, channel = 'sms') => ({
    status,
    assurance,
    channel,
    linkMethod: 'link_code',
  });

  it('is possession for a linked address, capped at possession', () => {
    expect(linkAssurance([id('linked', 'possession')], NOW, 1000)).toMatchObject({
      level: 'possession',
      source: 'link:link_code',
      expiresAt: at(1000),
    });
    expect(linkAssurance([id('linked', 'app_session', 'inapp')], NOW, 1000)?.level).toBe(
      'possession',
    );
  });

  it('is nothing for contacts, revoked links or links lowered to none (SIM swap)', () => {
    expect(
      linkAssurance(
        [id('unverified', 'none'), id('revoked', 'possession'), id('linked', 'none')],
        NOW,
        1000,
      ),
    ).toBeNull();
  });
});

describe('statesOn (issue 13: a strong app login is no licence on other channels)', () => {
  const inApp = (level: AssuranceState['level']) => ({ ...state(level, 60_000), channel: 'inapp' });

  it('counts a strong level only on the channel that proved it', () => {
    const states = [inApp('strong'), inApp('app_session')];
    expect(effectiveAssurance(statesOn(states, 'inapp'), NOW)?.level).toBe('strong');
    for (const on of ['sms', 'telegram', 'whatsapp', 'email'] as const) {
      expect(effectiveAssurance(statesOn(states, on), NOW)?.level).toBe('app_session');
    }
  });

  it('counts no strong level without a channel (an agent’s view), nor one of unknown origin', () => {
    expect(
      statesOn([inApp('strong'), inApp('app_session')], undefined).map((s) => s.level),
    ).toEqual(['app_session']);
    expect(statesOn([state('strong', 60_000)], 'inapp')).toEqual([]);
  });
});
