import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JourneysRepository, TicketsRepository } from '@omnigate/store';
import { TicketClocksService } from '../clocks/ticket-clocks.service';

const EVERY_MS = 60_000;

/**
 * The regulatory clocks for the journey dashboard: every minute, the open tickets' clocks counted
 * by state into journey_meta (the console has no grant on tickets, and "at risk" needs the
 * business calendars only the router holds). Every instance writes the same numbers.
 */
@Injectable()
export class JourneyClocksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('journey-clocks');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly clocks: TicketClocksService,
    private readonly journeys: JourneysRepository,
  ) {}

  onApplicationBootstrap(): void {
    void this.countOnce();
    this.timer = setInterval(() => void this.countOnce(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async countOnce(now = new Date()): Promise<void> {
    try {
      const counts = { onTrack: 0, atRisk: 0, breached: 0 };
      for (const t of await this.tickets.listOpenClocks()) {
        const state = this.clocks.view(t, now)?.state;
        if (state === 'breached') counts.breached += 1;
        else if (state === 'at_risk') counts.atRisk += 1;
        else if (state) counts.onTrack += 1;
      }
      await this.journeys.saveClocks(counts, now);
    } catch (e) {
      // The next minute tries again; the dashboard shows the last counts meanwhile.
      this.logger.warn({ msg: 'clock counts not saved', code: (e as { code?: string }).code });
    }
  }
}
