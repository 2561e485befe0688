import { runsAgainOnPostgres } from './test-database';

describe('which test files that opened a database CI runs again on PostgreSQL', () => {
  it('runs every file again by default, whatever it says of databases elsewhere', () => {
    expect(runsAgainOnPostgres("it('stores a message', async () => {});")).toBe(true);
    expect(runsAgainOnPostgres('/* database-incidental: in a block comment */')).toBe(true);
    expect(runsAgainOnPostgres("const note = '// database-incidental: inside a string';")).toBe(
      true,
    );
  });

  it('runs once a file that says why on a line of its own', () => {
    const src = [
      "import { chromium } from 'playwright-core';",
      '// database-incidental: the browser test checks the UI; the console tests run on both',
      "describe('x', () => {});",
    ].join('\n');
    expect(runsAgainOnPostgres(src)).toBe(false);
  });

  it('does not take the marker without a reason', () => {
    expect(runsAgainOnPostgres('// database-incidental:')).toBe(true);
    expect(runsAgainOnPostgres('// database-incidental: ok')).toBe(true);
  });
});
