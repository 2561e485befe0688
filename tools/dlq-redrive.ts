/**
 * `npm run dlq:redrive -- [--stream X] [--id N | --all]`: dead letters back on their stream,
 * audited (tools/dlq-redrive.command.ts says how). Exit 0: done; 1: some refused; 2: could not run.
 */
import { runDlqRedrive } from './dlq-redrive.command';

void runDlqRedrive(process.argv.slice(2), process.env, (line) => console.log(line)).then((code) =>
  process.exit(code),
);
