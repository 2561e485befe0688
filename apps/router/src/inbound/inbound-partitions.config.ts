import type { PartitionUnit } from '@omnigate/bus';
import { ALL_INBOUND_PARTITIONS, Subjects, partitionToken } from '@omnigate/contracts';

/** The router's leases on inbound partitions (its NATS user may use this bucket). */
export const ROUTER_LEASE_BUCKET = 'router_leases';

/** The durable of older gateways' unpartitioned subjects, named as it was before partitions. */
export const UNPARTITIONED_DURABLE = 'router-inbound';

/**
 * What router instances share: one unit per inbound partition, plus the unpartitioned subjects
 * (`msg.in.v1.<channel>`) that gateways of an older build and tools still publish on, read in
 * order by whichever instance holds that unit.
 */
export const INBOUND_UNITS: readonly PartitionUnit[] = Object.freeze([
  ...ALL_INBOUND_PARTITIONS.map((p) => ({
    id: partitionToken(p),
    filterSubject: Subjects.inboundPartition(p),
  })),
  {
    id: 'unpartitioned',
    filterSubject: Subjects.inboundUnpartitioned,
    fixedName: UNPARTITIONED_DURABLE,
  },
]);
