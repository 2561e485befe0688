/**
 * `npm run traffic [-- --short]`: with `npm start` running, plays customers' journeys through the
 * real paths (the simulator's signed webhooks and app socket, core banking's fraud engine, alice
 * answering through the console API) so that the journey dashboard has something to show, then
 * prints what it did: the numbers the dashboard should show for this run.
 *
 * Spread over days: some customers' first WhatsApp and Telegram messages are stamped hours or
 * days before the run (those providers carry the customer's send time, and the journey projection
 * times customer messages by it); the bank's answers, resolutions and the rest happen now.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FULL_PLAN, SHORT_PLAN, forRun } from './journey-traffic.plan';
import { playTraffic } from './journey-traffic.runner';
import { tallyLines } from './journey-traffic.tally';

interface Secrets {
  agentPassword: string;
  coreBankingApiKey: string;
}

function secrets(dataDir: string): Secrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (!existsSync(file)) {
    throw new Error(`${file} not found: run npm start first (it makes the development secrets)`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
}

async function main(): Promise<void> {
  const short = process.argv.includes('--short');
  const env = process.env;
  const s = secrets(env.DATA_DIR ?? '.data');
  const consoleUrl = env.TRAFFIC_CONSOLE_URL ?? 'http://127.0.0.1:3000';
  const sandboxUrl = env.TRAFFIC_SANDBOX_URL ?? 'http://127.0.0.1:3100';
  // New stranger addresses each run; the five seeded customers keep their one conversation.
  const run = Math.floor(Date.now() / 1000) % 1000;
  const plan = forRun(short ? SHORT_PLAN : FULL_PLAN, run);
  console.log(`Playing ${plan.length} conversations through ${sandboxUrl} and ${consoleUrl}…`);
  const result = await playTraffic(plan, {
    consoleUrl,
    sandboxUrl,
    coreBankingApiKey: s.coreBankingApiKey,
    agent: { id: env.TRAFFIC_AGENT ?? 'alice', password: s.agentPassword },
    log: (line) => console.log(line),
  });
  console.log(
    `\nDone in ${(result.ms / 1000).toFixed(1)} s. The dashboard should show, for this run:`,
  );
  for (const line of tallyLines(result.tally)) console.log(`  ${line}`);
  console.log(
    '\nSeeded customers keep one conversation across runs: after the first run their messages add ' +
      'to it (a reopening), so only the first run on a fresh .data matches these numbers exactly.',
  );
  for (const w of result.warnings) console.log(`warning: ${w}`);
  console.log(`Open ${consoleUrl}/#/journeys as sam (supervisor) or ada (admin).`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
