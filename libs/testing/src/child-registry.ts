import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Child processes a test run spawned (nats-servers), recorded as files so that Jest's global
 * teardown can kill whatever a failed test left behind. Inside a test file `process.on('exit')`
 * does not work (Jest hands test code its own process object), hence files.
 */
const ENV_KEY = 'OMNIGATE_TEST_CHILDREN_DIR';

/** Called once by the global setup (the main Jest process); workers inherit the variable. */
export function openChildRegistry(): void {
  process.env[ENV_KEY] ??= mkdtempSync(join(tmpdir(), 'og-children-'));
}

export function registerChild(pid: number | undefined): void {
  const dir = process.env[ENV_KEY];
  if (dir && pid) writeFileSync(join(dir, String(pid)), '');
}

export function unregisterChild(pid: number | undefined): void {
  const dir = process.env[ENV_KEY];
  if (dir && pid) rmSync(join(dir, String(pid)), { force: true });
}

/** Kills every child still registered; returns how many were left behind. */
export function killRegisteredChildren(): number {
  const dir = process.env[ENV_KEY];
  if (!dir) return 0;
  let left = 0;
  for (const name of readdirSync(dir)) {
    try {
      process.kill(Number(name), 'SIGKILL');
      left++;
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return left;
}
