import {
  ALL_INBOUND_PARTITIONS,
  INBOUND_PARTITIONS,
  inboundOrderKey,
  partitionOf,
  partitionToken,
} from './inbound-partitions';
import { Subjects } from './subjects';

describe('inbound partitions', () => {
  it('keep a sender in one partition, with values fixed across versions (a wire contract)', () => {
    const key = inboundOrderKey({ channel: 'sms', from: { address: '+393471234567' } });
    expect(key).toBe('sms:+393471234567');
    // Golden: a gateway and a router of different builds must agree on these.
    expect(partitionOf(key)).toBe(partitionOf('sms:+393471234567'));
    expect([partitionOf(''), partitionOf('a'), partitionOf('sms:+393471234567')]).toEqual([
      0x811c9dc5 % 16,
      0xe40c292c % 16,
      partitionOf(key),
    ]);
  });

  it('spread many senders over every partition, roughly evenly', () => {
    const counts = new Array<number>(INBOUND_PARTITIONS).fill(0);
    for (let i = 0; i < 16_000; i++) {
      counts[partitionOf(`sms:+39348${String(i).padStart(7, '0')}`)]! += 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(700);
    expect(Math.max(...counts)).toBeLessThan(1300);
  });

  it('name partitions as subject tokens and filters', () => {
    expect(ALL_INBOUND_PARTITIONS).toHaveLength(INBOUND_PARTITIONS);
    expect(partitionToken(7)).toBe('p07');
    expect(Subjects.inboundPartitioned('sms', 15)).toBe('msg.in.v1.sms.p15');
    expect(Subjects.inboundPartition(0)).toBe('msg.in.v1.*.p00');
    expect(() => partitionToken(16)).toThrow(RangeError);
    expect(() => partitionToken(-1)).toThrow(RangeError);
  });
});
