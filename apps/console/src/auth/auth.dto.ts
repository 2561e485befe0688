import { z } from 'zod';

export const LoginBodySchema = z.object({
  agentId: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const LoginResponseSchema = z.object({
  token: z.string(),
  agentId: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
});
