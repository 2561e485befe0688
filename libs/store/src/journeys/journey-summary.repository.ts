import { Injectable } from '@nestjs/common';
import { and, count, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { DbHandle } from '../db-handle';
import type { Db } from '../database';
import {
  journeyContextLosses,
  journeyConversations,
  journeyMeta,
  journeySwitches,
} from './journeys.schema';

export interface JourneyRange {
  from: Date;
  to: Date;
}

/** The journey projection's raw figures over a range; the console turns them into the summary. */
export interface JourneyFigures {
  conversations: number;
  flows: Array<{ start: string; end: string; count: number }>;
  switches: number;
  losses: Array<{
    kind: string;
    journey: string;
    switchFrom: string | null;
    switchTo: string | null;
    afterHandoff: boolean;
    count: number;
  }>;
  /**
   * By day (UTC) the conversation started (the customer's first message): those resolved at least
   * once, and of those the ones not reopened within 7 days. A contact's FCR belongs to the day the
   * customer asked, also when the answer came days later.
   */
  fcrDays: Array<{ day: string; resolved: number; firstContact: number }>;
  resolutionMs: number[];
  fraudResolutionMs: number[];
  firstResponseMs: number[];
  onboarding: { started: number; identified: number; completed: number };
  containment: { botOnly: number; handedOff: number };
  clocks: { onTrack: number; atRisk: number; breached: number };
}

const within = (col: AnyPgColumn, r: JourneyRange): SQL =>
  and(gte(col, r.from), lt(col, r.to)) as SQL;
const n = (v: unknown): number => Number(v ?? 0);

/**
 * Reads of the journey projection for the console's dashboard (SELECT grants only): counts by
 * range, and the time columns whose distributions the console computes.
 */
@Injectable()
export class JourneySummaryRepository {
  constructor(private readonly h: DbHandle) {}

  /**
   * One snapshot (a read-only repeatable-read transaction): the figures are counted from the same
   * state of the projection, so that a conversation resolved between two of the queries is not in
   * one count and missing from the next.
   */
  async figures(r: JourneyRange): Promise<JourneyFigures> {
    return this.h.db.transaction((tx) => this.figuresIn(tx as unknown as Db, r), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    });
  }

  private async figuresIn(db: Db, r: JourneyRange): Promise<JourneyFigures> {
    const c = journeyConversations;
    const started = within(c.startedAt, r);
    const [conversations, flows, switches, losses, fcrDays, times, onboarding, containment] =
      await Promise.all([
        db.select({ n: count() }).from(c).where(started),
        db
          .select({ start: c.startChannel, end: c.endChannel, count: count() })
          .from(c)
          .where(and(started, isNotNull(c.startChannel)))
          .groupBy(c.startChannel, c.endChannel),
        db.select({ n: count() }).from(journeySwitches).where(within(journeySwitches.at, r)),
        this.lossGroups(db, r),
        this.fcrDays(db, r),
        this.times(db, r),
        db
          .select({
            started: count(),
            identified: count(c.onboardingIdentifiedAt),
            completed: count(c.onboardingCompletedAt),
          })
          .from(c)
          .where(within(c.onboardingStartedAt, r)),
        db
          .select({
            botOnly: sql<number>`count(*) filter (where ${c.botTurns} > 0 and ${c.handoffs} = 0 and ${c.agentTurns} = 0)`,
            handedOff: sql<number>`count(*) filter (where ${c.handoffs} > 0 or ${c.agentTurns} > 0)`,
          })
          .from(c)
          .where(started),
      ]);
    return {
      conversations: n(conversations[0]?.n),
      flows: flows.map((f) => ({
        start: f.start ?? '',
        end: f.end ?? f.start ?? '',
        count: n(f.count),
      })),
      switches: n(switches[0]?.n),
      losses,
      fcrDays,
      ...times,
      onboarding: {
        started: n(onboarding[0]?.started),
        identified: n(onboarding[0]?.identified),
        completed: n(onboarding[0]?.completed),
      },
      containment: {
        botOnly: n(containment[0]?.botOnly),
        handedOff: n(containment[0]?.handedOff),
      },
      clocks: await this.clocks(db),
    };
  }

  private async lossGroups(db: Db, r: JourneyRange): Promise<JourneyFigures['losses']> {
    const l = journeyContextLosses;
    const rows = await db
      .select({
        kind: l.kind,
        journey: l.journey,
        switchFrom: l.switchFrom,
        switchTo: l.switchTo,
        afterHandoff: l.afterHandoff,
        count: count(),
      })
      .from(l)
      .where(within(l.at, r))
      .groupBy(l.kind, l.journey, l.switchFrom, l.switchTo, l.afterHandoff);
    return rows.map((x) => ({ ...x, count: n(x.count) }));
  }

  private async fcrDays(db: Db, r: JourneyRange): Promise<JourneyFigures['fcrDays']> {
    const c = journeyConversations;
    const day = sql<string>`to_char(${c.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
    const rows = await db
      .select({
        day,
        resolved: count(),
        firstContact: sql<number>`count(*) filter (where not ${c.reopenedWithin7d})`,
      })
      .from(c)
      .where(and(within(c.startedAt, r), isNotNull(c.firstResolvedAt)))
      .groupBy(day)
      .orderBy(day);
    return rows.map((x) => ({
      day: x.day,
      resolved: n(x.resolved),
      firstContact: n(x.firstContact),
    }));
  }

  private async times(
    db: Db,
    r: JourneyRange,
  ): Promise<Pick<JourneyFigures, 'resolutionMs' | 'fraudResolutionMs' | 'firstResponseMs'>> {
    const c = journeyConversations;
    const [resolved, firstResponse] = await Promise.all([
      db
        .select({ resolution: c.resolutionMs, fraud: c.fraudResolutionMs })
        .from(c)
        .where(and(within(c.resolvedAt, r), isNotNull(c.resolutionMs))),
      db
        .select({ ms: c.firstResponseMs })
        .from(c)
        .where(and(within(c.startedAt, r), isNotNull(c.firstResponseMs))),
    ]);
    return {
      resolutionMs: resolved.map((x) => n(x.resolution)),
      fraudResolutionMs: resolved.flatMap((x) => (x.fraud === null ? [] : [n(x.fraud)])),
      firstResponseMs: firstResponse.map((x) => n(x.ms)),
    };
  }

  private async clocks(db: Db): Promise<JourneyFigures['clocks']> {
    const m = (await db.select().from(journeyMeta).where(eq(journeyMeta.id, 1)))[0];
    return {
      onTrack: m?.clocksOnTrack ?? 0,
      atRisk: m?.clocksAtRisk ?? 0,
      breached: m?.clocksBreached ?? 0,
    };
  }
}
