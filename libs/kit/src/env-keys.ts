import type { z } from 'zod';

interface SchemaInternals {
  shape?: Record<string, unknown>;
  def?: { type?: string; in?: unknown; innerType?: unknown };
}

/**
 * Every environment key an app's config schema reads, in declaration order: through the
 * refinements and transforms that wrap its object (`.superRefine(...).transform(...)`).
 * What `.env.example` must list (tools/env-example.spec.ts).
 */
export function envSchemaKeys(schema: z.ZodType): string[] {
  let node = schema as unknown as SchemaInternals;
  for (let depth = 0; depth < 10; depth++) {
    if (node.shape) return Object.keys(node.shape);
    const next = node.def?.type === 'pipe' ? node.def.in : node.def?.innerType;
    if (!next) break;
    node = next;
  }
  throw new Error('not an object schema (or a refinement/transform of one)');
}
