import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * One migrated snapshot and one template database per jest run (globalSetup sets the id; workers
 * inherit it): two runs on one machine (two checkouts, or one run while another migrates) never
 * share or drop each other's. No path aliases here: jest's globalSetup loads this file as is.
 */
const RUN_ENV = 'OMNIGATE_TEST_RUN';

const runId = (): string => process.env[RUN_ENV] ?? 'default';
export const snapshotPath = (): string => join(tmpdir(), 'omnigate-test', `pglite-${runId()}.tar`);
export const templateDb = (): string => `og_tpl_${runId()}`;

export function assignTestRunId(): void {
  process.env[RUN_ENV] ??= randomBytes(6).toString('hex');
}

/** globalTeardown: the run's snapshot and template database go. */
export async function dropTestDatabases(): Promise<void> {
  rmSync(snapshotPath(), { force: true });
  if (!process.env.DATABASE_URL) return;
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
