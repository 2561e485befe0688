/**
 * When a test system took long to stop, prints its captured warnings and errors (the apps' log
 * lines go to a sink during tests, so a shutdown that waited out a grace period would otherwise
 * leave no trace in the CI output). Log lines carry codes and ids only, never message bodies.
 */
export function reportSlowStop(
  what: string,
  tookMs: number,
  logs: readonly string[],
  slowMs = 5000,
): void {
  if (tookMs < slowMs) return;
  const notable = logs.filter((l) => /"level":"(warn|error)"/.test(l)).slice(-20);
  process.stderr.write(
    `${what} took ${tookMs} ms to stop; its last warnings and errors:\n${notable.join('\n')}\n`,
  );
}

/** Runs one shutdown step; if it is still running after `afterMs`, says which and shows the logs. */
export async function stepWatched<T>(
  what: string,
  logs: readonly string[],
  step: () => Promise<T>,
  afterMs = 10_000,
): Promise<T> {
  const timer = setTimeout(() => {
    reportSlowStop(`${what} (still running)`, afterMs, logs, 0);
    process.stderr.write(`open handles: ${describeHandles()}\n`);
  }, afterMs);
  try {
    return await step();
  } finally {
    clearTimeout(timer);
  }
}

/** What keeps the process busy: sockets by their ends, child processes, other handles by type. */
function describeHandles(): string {
  const handles =
    (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles
    .map((h) => {
      const s = h as {
        constructor?: { name?: string };
        localPort?: number;
        remotePort?: number;
        pid?: number;
      };
      const name = s.constructor?.name ?? 'unknown';
      if (name === 'Socket' || name === 'TLSSocket') {
        return `${name}(${s.localPort ?? '?'}->${s.remotePort ?? '?'})`;
      }
      if (name === 'ChildProcess') return `ChildProcess(${s.pid})`;
      return name;
    })
    .join(', ');
}
