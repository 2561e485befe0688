/** Types of tools/jest-shared-modules.js (plain JavaScript: jest loads it without a transform). */
export function packageOf(specifier: string): string | null;
export function requireShared(
  environment: { sharedRealm?: { context: object; global: unknown } | null },
  resolver: unknown,
  from: string,
  specifier: string,
): unknown;
