/**
 * `npm run journeys:rebuild -- [--force] [--timeout-ms N]`: the router rebuilds the journey
 * projection from CONV_EVENTS (tools/journeys-rebuild.command.ts says how). Exit 0: rebuilt;
 * 1: refused; 2: could not run.
 */
import { runJourneysRebuild } from './journeys-rebuild.command';

void runJourneysRebuild(process.argv.slice(2), process.env, (line) => console.log(line)).then(
  (code) => process.exit(code),
);
