import { z } from 'zod';
import { packageOf } from './jest-shared-modules';

const sharedModules = (): string[] =>
  Object.keys(
    (globalThis as Record<symbol, Record<string, unknown> | undefined>)[
      Symbol.for('omnigate.jest.sharedModules')
    ] ?? {},
  );

describe('node_modules shared by the test files of a jest worker', () => {
  it('names the package of a bare specifier, and nothing for paths, builtins and our own', () => {
    expect(packageOf('zod')).toBe('zod');
    expect(packageOf('drizzle-orm/pg-core')).toBe('drizzle-orm');
    expect(packageOf('@nestjs/common')).toBe('@nestjs/common');
    expect(packageOf('@nestjs/common/services/logger.service')).toBe('@nestjs/common');
    expect(packageOf('./local')).toBeNull();
    expect(packageOf('/abs/path')).toBeNull();
    expect(packageOf('node:fs')).toBeNull();
    expect(packageOf('crypto')).toBeNull();
    expect(packageOf('@omnigate/kit')).toBeNull();
  });

  it('loads a package once for the worker, prom-client (per-test counters) per file', () => {
    expect(sharedModules().some((f) => f.includes('/node_modules/zod/'))).toBe(true);
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- the load under test */
    require('prom-client');
    expect(sharedModules().some((f) => f.includes('/node_modules/prom-client/'))).toBe(false);
  });

  it('gives a test file that mocks a package its mock, not the shared package', () => {
    jest.doMock('semver', () => ({ mocked: true }));
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- the load under test */
    expect(require('semver')).toEqual({ mocked: true });
    jest.dontMock('semver');
  });

  it('runs shared packages in the test realm: their errors are Errors, our Dates are Dates', () => {
    let thrown: unknown;
    try {
      z.string().parse(1);
    } catch (e) {
      thrown = e;
    }
    expect(thrown instanceof Error).toBe(true);
    expect(z.date().safeParse(new Date()).success).toBe(true);
    expect(z.array(z.number()).safeParse([1, 2]).success).toBe(true);
  });
});
