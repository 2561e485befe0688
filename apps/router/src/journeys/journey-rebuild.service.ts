import { Injectable, Logger } from '@nestjs/common';
import { KeyedExecutor, StreamReplayer } from '@omnigate/bus';
import type { ReplayReport } from '@omnigate/bus';
import { ConversationEventV1Schema, StreamSubjects } from '@omnigate/contracts';
import type { RebuildJourneysRequestV1, RebuildJourneysResponseV1 } from '@omnigate/contracts';
import { AppError, counter } from '@omnigate/kit';
import { AuditLogRepository, JourneysRepository } from '@omnigate/store';
import { JourneyProjectionService } from './journey-projection.service';
import { JourneyRebuildConflictError } from './journey-rebuild.errors';

const rebuilds = counter(
  'omnigate_journey_rebuilds_total',
  'Rebuilds of the journey projection asked of the router, by outcome',
  ['outcome'],
);

/** Conversations replayed at once (the live consumer's own concurrency). */
const REPLAY_CONCURRENCY = 4;
/** Events read ahead of the ones being applied, at most. */
const REPLAY_BACKLOG = 256;

/**
 * Rebuilds the journey projection from what CONV_EVENTS holds: empties the journey tables and
 * marks the rebuild (the live consumer `router-journeys` waits meanwhile: its events nak and come
 * back), replays the stream in order through the same reducer, then lifts the mark; the live
 * consumer goes on from there, every event already replayed being a duplicate by its id. A
 * failed replay keeps the mark: dashboards keep the numbers of a half replay out, and a rebuild
 * with `force` starts over. Audited.
 */
@Injectable()
export class JourneyRebuildService {
  private readonly logger = new Logger('journeys');
  private running = false;

  constructor(
    private readonly journeys: JourneysRepository,
    private readonly projection: JourneyProjectionService,
    private readonly replayer: StreamReplayer,
    private readonly audit: AuditLogRepository,
  ) {}

  async rebuild(req: RebuildJourneysRequestV1): Promise<RebuildJourneysResponseV1> {
    // One at a time here; across routers the mark in journey_meta says so.
    if (this.running) return this.refuse(req);
    this.running = true;
    try {
      if (!(await this.journeys.beginRebuild({ force: req.force }))) return await this.refuse(req);
      return await this.replay(req);
    } finally {
      this.running = false;
    }
  }

  private async replay(req: RebuildJourneysRequestV1): Promise<RebuildJourneysResponseV1> {
    const started = Date.now();
    const tally = { applied: 0, skipped: 0 };
    try {
      const report = await this.replayAll(tally);
      await this.journeys.endRebuild();
      const result = {
        firstSeq: report.firstSeq,
        lastSeq: report.lastSeq,
        ...tally,
        conversations: await this.journeys.conversationCount(),
        durationMs: Date.now() - started,
      };
      await this.record(req, 'journeys.rebuilt', { ...result, force: req.force });
      rebuilds.inc({ outcome: 'ok' });
      this.logger.log({ msg: 'journey projection rebuilt', ...result });
      return result;
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      rebuilds.inc({ outcome: code });
      await this.record(req, 'journeys.rebuild.failed', { ...tally, code });
      throw e;
    }
  }

  /**
   * The stream in order, conversations in parallel as the live consumer reads them (each one's
   * events one after the other); a bounded backlog, so a long stream is never all in memory.
   */
  private async replayAll(tally: { applied: number; skipped: number }): Promise<ReplayReport> {
    const exec = new KeyedExecutor(REPLAY_CONCURRENCY);
    let failure: { error: unknown } | null = null;
    try {
      const report = await this.replayer.replay(
        StreamSubjects.conversationEvents.stream,
        async (m) => {
          if (failure) throw failure.error;
          const event = ConversationEventV1Schema.safeParse(m.payload);
          if (!event.success) {
            tally.skipped++;
            return;
          }
          exec.run(event.data.conversationId, async () => {
            try {
              await this.projection.replay(event.data);
              tally.applied++;
            } catch (e) {
              failure ??= { error: e };
            }
          });
          if (exec.size >= REPLAY_BACKLOG) await exec.idle();
        },
      );
      await exec.idle();
      if (failure) throw (failure as { error: unknown }).error;
      return report;
    } finally {
      // Nothing of this rebuild writes after it answered.
      await exec.idle();
    }
  }

  private async refuse(req: RebuildJourneysRequestV1): Promise<never> {
    rebuilds.inc({ outcome: 'conflict' });
    await this.record(req, 'journeys.rebuild.refused', { code: 'JOURNEY.REBUILD_CONFLICT' });
    throw new JourneyRebuildConflictError();
  }

  private async record(
    req: RebuildJourneysRequestV1,
    action: string,
    detail: Record<string, string | number | boolean>,
  ): Promise<void> {
    await this.audit.append({ actor: req.requestedBy, action, subject: 'journeys', detail });
  }
}
