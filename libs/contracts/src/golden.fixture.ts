import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Golden files of the wire contracts, under libs/contracts/golden/. A change to the wire fails the
 * comparison; regenerate deliberately with UPDATE_GOLDEN=1 and publish a new version beside the old
 * one if the change is breaking. A missing file is written, except in CI.
 */
const GOLDEN = join(__dirname, '..', 'golden');

export function expectGolden(name: string, value: unknown): void {
  const file = join(GOLDEN, name);
  const text = JSON.stringify(value, null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(file) && !process.env.CI)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}
