import { z } from 'zod';

/** An attachment is always described by reference: bytes never travel on the bus. */
export const AttachmentRefSchema = z.object({
  kind: z.enum(['image', 'audio', 'video', 'document', 'other']),
  mimeType: z.string().min(3).max(255),
  size: z.number().int().nonnegative(),
  /** Hex SHA-256 of the content, when the gateway has fetched it; null when only the provider holds it. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** Where the content can be fetched: a provider URL or an object-store key. */
  ref: z.string().min(1).max(2048),
  filename: z.string().max(255).optional(),
});
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;
