import { Injectable, Logger } from '@nestjs/common';
import { BusClient, StreamSweeper, Streams } from '@omnigate/bus';
import { Subjects, VaultRequests } from '@omnigate/contracts';
import type { EraseCustomerRequestV1, ErasureResultV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import {
  AuditLogRepository,
  CustomerDataService,
  ErasureTargetsRepository,
  JourneysRepository,
} from '@omnigate/store';
import { SessionService } from '../session/session.service';
import { carriesCustomer, footprintOf, kvEntriesOf } from './bus-footprint.mapper';
import type { BusFootprint } from './bus-footprint.mapper';

/** Streams read message by message (CONV_EVENTS is purged by subject: one per conversation). */
const SWEPT_STREAMS = [
  Streams.MSG_IN.name,
  Streams.MSG_OUT.name,
  Streams.MSG_STATUS.name,
  Streams.CARDS.name,
  Streams.CONSENT_EVENTS.name,
  Streams.DLQ.name,
] as const;

/** The vault takes at most this many references per request (the contract's limit). */
const REFS_PER_REQUEST = 1000;

const erasures = counter('omnigate_privacy_erasures_total', 'Customer erasures, by outcome', [
  'outcome',
]);

interface BusPass {
  deleted: number;
  scanned: number;
  /** Each stream's last sequence when the pass read it: the next pass starts after it. */
  lastSeq: Record<string, number>;
}

/**
 * A DPO's erasure of one customer, everywhere the router can reach: what identifies her on the
 * bus is read while her key still opens it; the streams are swept and the vault forgets her cards
 * BEFORE the database is shredded (a failure there leaves everything as it was, so the DPO can
 * simply ask again); then her key is destroyed and her session forgotten; then the streams are
 * swept once more from where the first pass ended, for what was published meanwhile. Nothing
 * personal is logged.
 */
@Injectable()
export class CustomerErasureService {
  private readonly logger = new Logger('erasure');

  constructor(
    private readonly data: CustomerDataService,
    private readonly targets: ErasureTargetsRepository,
    private readonly sweeper: StreamSweeper,
    private readonly bus: BusClient,
    private readonly audit: AuditLogRepository,
    private readonly sessions: SessionService,
    private readonly journeys: JourneysRepository,
  ) {}

  async erase(req: EraseCustomerRequestV1): Promise<ErasureResultV1> {
    const { customerId, actor, reason } = req;
    try {
      await this.data.assertErasable(customerId, actor);
      const targets = await this.targets.collect(customerId);
      const footprint = footprintOf(targets);
      const kvEntries = kvEntriesOf(targets);
      const first = await this.sweepBus(footprint, kvEntries);
      const vault = await this.eraseCards(targets.cardRefs, actor, reason);
      const result = await this.data.erase(customerId, actor, reason);
      // Her session in KV (current conversation, channels, assurance) goes with her.
      await this.sessions.forget(customerId);
      const tail = await this.sweepBus(footprint, kvEntries, first.lastSeq).catch((e: unknown) => {
        // Shredded already: say so, count it; what stays ages out with the streams' max_age.
        erasures.inc({ outcome: 'tail_sweep_failed' });
        this.logger.error({ msg: 'erasure: second bus sweep failed', customerId }, e as Error);
        return null;
      });
      // Her journeys (the projection of the events just purged) go too: a rebuild cannot bring them back.
      const journeysErased = await this.journeys.eraseCustomer(customerId, [
        ...footprint.conversationIds,
      ]);
      const streamMessagesDeleted = first.deleted + (tail?.deleted ?? 0);
      await this.audit.append({
        actor,
        action: 'customer.erase.bus',
        subject: customerId,
        detail: {
          streamMessagesDeleted,
          streamMessagesScanned: first.scanned + (tail?.scanned ?? 0),
          secondSweep: tail ? 'done' : 'failed',
          vaultRefsErased: vault.refsErased,
          vaultCardsErased: vault.cardsErased,
          journeysErased,
        },
      });
      erasures.inc({ outcome: 'erased' });
      return {
        ...result,
        streamMessagesDeleted,
        vaultRefsErased: vault.refsErased,
        vaultCardsErased: vault.cardsErased,
      };
    } catch (e) {
      erasures.inc({ outcome: 'refused_or_failed' });
      throw e;
    }
  }

  /** One pass over every stream that may hold her, from `after` (exclusive) per stream. */
  private async sweepBus(
    f: BusFootprint,
    kvEntries: ReadonlyArray<{ stream: string; subject: string }>,
    after: Record<string, number> = {},
  ): Promise<BusPass> {
    const pass: BusPass = { deleted: 0, scanned: 0, lastSeq: {} };
    // The streams at once: each read is O(its messages), the wall time that of the largest.
    const reports = await Promise.all(
      SWEPT_STREAMS.map((stream) =>
        this.sweeper.sweep(
          stream,
          (m) => carriesCustomer(f, m.stream, m.subject, Buffer.from(m.data).toString('utf8')),
          (after[stream] ?? 0) + 1,
        ),
      ),
    );
    for (const r of reports) {
      pass.deleted += r.deleted;
      pass.scanned += r.scanned;
      pass.lastSeq[r.stream] = r.lastSeq;
    }
    for (const id of f.conversationIds) {
      pass.deleted += await this.sweeper.purgeSubject(
        Streams.CONV_EVENTS.name,
        Subjects.conversationEvent(id),
      );
    }
    // Gateway KV entries keyed by her address (a bucket not deployed purges nothing).
    for (const { stream, subject } of kvEntries) {
      pass.deleted += await this.sweeper.purgeSubject(stream, subject);
    }
    return pass;
  }

  private async eraseCards(
    refs: string[],
    actor: string,
    reason: string,
  ): Promise<{ refsErased: number; cardsErased: number }> {
    const total = { refsErased: 0, cardsErased: 0 };
    for (let i = 0; i < refs.length; i += REFS_PER_REQUEST) {
      const r = await this.bus.request(VaultRequests.eraseCards, {
        refs: refs.slice(i, i + REFS_PER_REQUEST),
        actor,
        reason,
      });
      total.refsErased += r.refsErased;
      total.cardsErased += r.cardsErased;
    }
    return total;
  }
}
