import type { z } from 'zod';
import { ConfigError } from './app-error';

/**
 * Parses the environment once at start with the app's zod schema and fails listing every bad
 * key at once. Values of keys that look secret are never echoed.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    const key = i.path.join('.') || '(root)';
    return `${key}: ${i.message}`;
  });
  throw new ConfigError(problems);
}

/** "true"/"1"/"yes" → true; for boolean env flags. */
export function envFlag(v: string | undefined, fallback: boolean): boolean {
  if (v === undefined || v === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}
