import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type * as NestCommon from '@nestjs/common';
import type * as Kit from '@omnigate/kit';

/**
 * Jest setupFilesAfterEnv: the application logs of a test file go to
 * `artifacts/test-logs/<test file>.log` (or under OMNIGATE_TEST_LOGS_DIR) instead of the terminal, so a run prints jest's results
 * only. Tests that capture logs themselves (setLogSink) still do.
 * It imports neither the kit nor Nest: most unit test files load neither, and loading them here
 * cost every test file about a quarter of a second of CPU. The kit's logger takes the sink from
 * the global symbol when it loads; Nest's own logger is routed once a test file has loaded Nest.
 */
const root = join(__dirname, '..', '..', '..');
const testPath = expect.getState().testPath ?? 'unknown';
// OMNIGATE_TEST_LOGS_DIR (relative to the repository or absolute) puts a run's logs elsewhere: CI's
// PostgreSQL run uses artifacts/test-logs-postgres, so a file failing in both runs keeps both logs.
const logsDir = resolve(root, process.env.OMNIGATE_TEST_LOGS_DIR || join('artifacts', 'test-logs'));
const file = join(logsDir, `${relative(root, testPath)}.log`);
let fd: number | undefined;
let opened = false;

const toFile = (line: string): void => {
  if (fd === undefined) {
    mkdirSync(dirname(file), { recursive: true });
    // A line logged after the file was closed (an app stopping in a later afterAll) is appended.
    fd = openSync(file, opened ? 'a' : 'w');
    opened = true;
  }
  writeSync(fd, line + '\n');
};
// The same symbol as HOST_LOG_SINK in libs/kit/src/logger.ts (not imported: see above).
(globalThis as Record<symbol, unknown>)[Symbol.for('omnigate.logSink')] = toFile;

// Nest's testing module (and an app made without our logger) installs a ConsoleLogger that prints
// to the terminal; its lines come to the file instead, as JSON lines of the kit's logger.
let nestRouted = false;
function routeNestLogger(): void {
  if (nestRouted) return;
  // Nest is in jest's registry of this file, or among the node_modules packages the worker's test
  // files share (tools/jest-shared-modules.js).
  const shared = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[
    Symbol.for('omnigate.jest.sharedModules')
  ];
  const loaded = [...Object.keys(require.cache), ...Object.keys(shared ?? {})].some((k) =>
    k.endsWith('@nestjs/common/services/logger.service.js'),
  );
  if (!loaded) return;
  nestRouted = true;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only once the file uses Nest */
  const { ConsoleLogger, Logger } = require('@nestjs/common') as typeof NestCommon;
  const { JsonLogger } = require('@omnigate/kit') as typeof Kit;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const jsonToFile = new JsonLogger('test', 'log');
  const override = Logger.overrideLogger.bind(Logger);
  Logger.overrideLogger = (logger): void => {
    override(logger instanceof ConsoleLogger ? jsonToFile : logger);
  };
  Logger.overrideLogger(jsonToFile);
}
beforeAll(routeNestLogger);
beforeEach(routeNestLogger);

afterAll(() => {
  if (fd !== undefined) closeSync(fd);
  fd = undefined;
});
