import { BusReplicasError } from './bus.errors';
import { natsServers } from './nats-connection';
import { replicasChange, replicasError } from './replicas';

describe('stream replicas', () => {
  it('changes a stream only to a count that was set and differs', () => {
    expect(replicasChange(1, 3)).toBe(3);
    expect(replicasChange(3, 1)).toBe(1);
    expect(replicasChange(3, 3)).toBeNull();
    // Unset never scales an existing stream (a probe must not take production down to R1).
    expect(replicasChange(3, undefined)).toBeNull();
    // The server reports 0 for a stream created without a count: that is one copy.
    expect(replicasChange(0, 1)).toBeNull();
    expect(replicasChange(0, 3)).toBe(3);
  });

  it('names NATS_REPLICAS when the deployment cannot place the copies', () => {
    const single = Object.assign(new Error('replicas > 1 not supported in non-clustered mode'), {
      api_error: { code: 500, err_code: 10074, description: 'x' },
    });
    const tooFew = Object.assign(new Error('no suitable peers for placement'), {
      api_error: { code: 400, err_code: 10005, description: 'x' },
    });
    for (const e of [single, tooFew]) {
      const mapped = replicasError(e, 'MSG_IN', 3);
      expect(mapped).toBeInstanceOf(BusReplicasError);
      expect((mapped as BusReplicasError).code).toBe('BUS.REPLICAS_UNAVAILABLE');
      expect((mapped as Error).message).toMatch(/MSG_IN needs 3 replicas.*NATS_REPLICAS/);
      expect((mapped as Error).cause).toBe(e);
    }
    const other = new Error('timeout');
    expect(replicasError(other, 'MSG_IN', 3)).toBe(other);
  });

  it('reads every server of a comma-separated NATS_URL', () => {
    expect(natsServers('nats://a:4222, nats://b:4222 ,nats://c:4222,')).toEqual([
      'nats://a:4222',
      'nats://b:4222',
      'nats://c:4222',
    ]);
    expect(natsServers('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
  });
});
