import type { LoggerService, LogLevel } from '@nestjs/common';
import { scrubLogFields, scrubLogLine } from './log-scrubber';
import { activeTraceFields } from './tracing';

export type LogSink = (line: string) => void;

const LEVELS: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
/**
 * A host may give the process's log lines a destination before this module loads: a sink under
 * this global symbol (the test runner sends each test file's logs to its own file without loading
 * the kit into test files that never use it).
 */
export const HOST_LOG_SINK = Symbol.for('omnigate.logSink');
const hostSink = (globalThis as Record<symbol, LogSink | undefined>)[HOST_LOG_SINK];
let sink: LogSink = hostSink ?? ((line) => process.stdout.write(line + '\n'));

/** Tests capture every log line of the process with this (to prove no PAN or body is logged). */
export function setLogSink(next: LogSink): LogSink {
  const prev = sink;
  sink = next;
  return prev;
}

/**
 * One JSON line per entry. Callers pass ids and codes, never message bodies or personal data;
 * every line still goes through the personal-data scrubber (body/from/to keys dropped, phone
 * numbers and e-mail addresses masked) and the PAN scrubber before it leaves the process.
 */
export class JsonLogger implements LoggerService {
  private readonly min: number;

  constructor(
    private readonly app: string,
    level: LogLevel = 'log',
  ) {
    this.min = LEVELS.indexOf(level);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS.indexOf(level) < this.min) return;
    // Nest passes the context as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = {
      t: new Date().toISOString(),
      level,
      app: this.app,
      ...(context ? { ctx: context } : {}),
    };
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.err = describeError(message);
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    for (const r of rest) {
      if (r instanceof Error) entry.err = describeError(r);
      else if (typeof r === 'string' && level === 'error') entry.stack = r;
    }
    sink(withTraceFields(scrubLogLine(JSON.stringify(scrubLogFields(entry)))));
  }
}

/**
 * The trace the line was written in (traceId, spanId), so logs and spans join up. Added after the
 * scrubbers: the ids are random hex, never personal data, and a run of digits in one would read as
 * a card number (about 1 line in 500) and be replaced.
 */
function withTraceFields(line: string): string {
  const { traceId, spanId } = activeTraceFields();
  if (!traceId || !line.endsWith('}')) return line;
  return `${line.slice(0, -1)},"traceId":"${traceId}","spanId":"${spanId}"}`;
}

function describeError(e: Error): Record<string, unknown> {
  const code = (e as { code?: unknown }).code;
  return { name: e.name, code, message: e.message };
}
