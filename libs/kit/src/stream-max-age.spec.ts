import { CommonEnv, busOptionsFrom } from './common.config';

describe('stream max_age from the environment', () => {
  it('passes each STREAM_MAX_AGE_<NAME>_MS to the bus; unset ones keep the defaults', () => {
    const env = CommonEnv.parse({
      STREAM_MAX_AGE_MSG_IN_MS: '86400000',
      STREAM_MAX_AGE_DLQ_MS: '5184000000',
    });
    expect(busOptionsFrom(env, 'router').streamMaxAgeMs).toEqual({
      MSG_IN: 86_400_000,
      MSG_OUT: undefined,
      MSG_STATUS: undefined,
      CONV_EVENTS: undefined,
      CORE_EVENTS: undefined,
      DLQ: 5_184_000_000,
    });
  });

  it('refuses an age under a second or not a number', () => {
    const r = CommonEnv.safeParse({
      STREAM_MAX_AGE_CONV_EVENTS_MS: '10',
      STREAM_MAX_AGE_MSG_OUT_MS: '7d',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'STREAM_MAX_AGE_CONV_EVENTS_MS',
      'STREAM_MAX_AGE_MSG_OUT_MS',
    ]);
  });
});

describe('NATS_REPLICAS', () => {
  it('passes the replica count to the bus; unset passes none (existing streams keep theirs)', () => {
    expect(busOptionsFrom(CommonEnv.parse({ NATS_REPLICAS: '3' }), 'router').replicas).toBe(3);
    expect('replicas' in busOptionsFrom(CommonEnv.parse({}), 'router')).toBe(false);
  });

  it('refuses 0, 6 and a word', () => {
    for (const bad of ['0', '6', 'three']) {
      const r = CommonEnv.safeParse({ NATS_REPLICAS: bad });
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['NATS_REPLICAS']);
    }
  });
});
