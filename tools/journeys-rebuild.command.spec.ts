import { parseRebuildArgs } from './journeys-rebuild.command';

describe('journeys:rebuild arguments', () => {
  it('waits 15 minutes without --force by default', () => {
    expect(parseRebuildArgs([])).toEqual({ force: false, timeoutMs: 900_000 });
  });

  it('takes --force and --timeout-ms', () => {
    expect(parseRebuildArgs(['--force', '--timeout-ms', '60000'])).toEqual({
      force: true,
      timeoutMs: 60_000,
    });
  });

  it('refuses a timeout under a second and an unknown argument, naming what it knows', () => {
    expect(() => parseRebuildArgs(['--timeout-ms', '10'])).toThrow('--timeout-ms needs');
    expect(() => parseRebuildArgs(['--timeout-ms'])).toThrow('--timeout-ms needs');
    expect(() => parseRebuildArgs(['--all'])).toThrow('known: --force, --timeout-ms N');
  });
});
