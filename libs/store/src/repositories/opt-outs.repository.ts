import { Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { optOuts } from '../schema';
import { DataProtection } from '../protection/data-protection';

/** Our own opt-out table: consulted before every send, fed by STOP/START keywords. */
@Injectable()
export class OptOutsRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
  ) {}

  /** The address is stored as its blind index when encryption at rest is on. */
  async set(channel: string, address: string, optedOut: boolean, keyword: string): Promise<void> {
    address = this.dp.index(channel, address);
    await this.h.db
      .insert(optOuts)
      .values({ channel, address, optedOut, keyword, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: [optOuts.channel, optOuts.address],
        set: { optedOut, keyword, updatedAt: new Date() },
      });
  }

  async isOptedOut(channel: string, address: string): Promise<boolean> {
    address = this.dp.index(channel, address);
    const rows = await this.h.db
      .select({ optedOut: optOuts.optedOut })
      .from(optOuts)
      .where(and(eq(optOuts.channel, channel), eq(optOuts.address, address)))
      .limit(1);
    return rows[0]?.optedOut ?? false;
  }
}
