/** `npm run migrate` (tools/migrate.command.ts says what it does). Exit 0 done, 1 failed. */
import { ConfigError } from '@omnigate/kit';
import { describeMigration, runMigrate } from './migrate.command';

runMigrate(process.env).then(
  (r) => {
    console.log(describeMigration(r));
    process.exit(0);
  },
  (e: unknown) => {
    const why = e instanceof ConfigError || e instanceof Error ? e.message : String(e);
    console.error(`migrate failed: ${why}`);
    process.exit(1);
  },
);
