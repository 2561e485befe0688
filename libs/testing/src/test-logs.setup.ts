import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { JsonLogger, setLogSink } from '@omnigate/kit';

/**
 * Jest setupFilesAfterEnv: the application logs of a test file go to
 * `artifacts/test-logs/<test file>.log` instead of the terminal, so a run prints jest's results
 * only. Tests that capture logs themselves (setLogSink) still do.
 */
const root = join(__dirname, '..', '..', '..');
const testPath = expect.getState().testPath ?? 'unknown';
const file = join(root, 'artifacts', 'test-logs', `${relative(root, testPath)}.log`);
let fd: number | undefined;
let opened = false;

setLogSink((line) => {
  if (fd === undefined) {
    mkdirSync(dirname(file), { recursive: true });
    // A line logged after the file was closed (an app stopping in a later afterAll) is appended.
    fd = openSync(file, opened ? 'a' : 'w');
    opened = true;
  }
  writeSync(fd, line + '\n');
});
// Nest's testing module (and an app made without our logger) installs a ConsoleLogger that prints
// to the terminal; its lines come to the file instead.
const toFile = new JsonLogger('test', 'log');
const override = Logger.overrideLogger.bind(Logger);
Logger.overrideLogger = (logger): void => {
  override(logger instanceof ConsoleLogger ? toFile : logger);
};
Logger.overrideLogger(toFile);

afterAll(() => {
  if (fd !== undefined) closeSync(fd);
  fd = undefined;
});
