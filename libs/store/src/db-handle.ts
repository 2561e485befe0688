import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@omnigate/kit';
import type { Database, Db } from './database';

export const DATABASE = Symbol('DATABASE');

/** Injectable handle on the database; repositories take this. */
@Injectable()
export class DbHandle implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    health: HealthRegistry,
  ) {
    health.register({ name: 'database', check: () => this.database.ping() });
  }

  get db(): Db {
    return this.database.db;
  }

  get kind(): Database['kind'] {
    return this.database.kind;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
