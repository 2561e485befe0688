import { Injectable } from '@nestjs/common';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { AppError } from '@omnigate/kit';

/** A request the console cannot take as sent: 400 with every path at fault. */
export class RequestInvalidError extends AppError {
  constructor(message: string) {
    super('REQUEST.INVALID', message);
  }
}

/** Validates a body, query or param with a zod schema; DTOs stay zod (no class-validator). */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, meta: ArgumentMetadata): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new RequestInvalidError(describeIssues(result.error, meta));
  }
}

export function describeIssues(
  error: z.ZodError,
  meta: Pick<ArgumentMetadata, 'type' | 'data'>,
): string {
  const where = meta.type === 'custom' ? 'request' : meta.type;
  return error.issues
    .map((i) => {
      const path = [meta.data, ...i.path.map(String)].filter(Boolean).join('.');
      return `${where}${path ? ' ' + path : ''}: ${i.message}`;
    })
    .join('; ');
}
