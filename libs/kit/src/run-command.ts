/**
 * Runs a command-line tool's main: its resolved number is the exit code; a throw is "could not
 * run" (exit 2) with the reason on stderr, never a stack trace with data in it.
 */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`${name} could not run: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(2);
    },
  );
}
