import { z } from 'zod';
import { SkillSchema } from '@omnigate/contracts';
import { ROLES } from '../privacy/roles';

export const LoginBodySchema = z.object({
  agentId: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
  /** The 6-digit code of the authenticator app: required for supervisor, admin and dpo. */
  totp: z.string().max(16).optional(),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const SessionViewSchema = z.object({
  agentId: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  queues: z.array(SkillSchema),
  expiresAt: z.iso.datetime({ offset: true }),
  csrfToken: z.string(),
});

export const LoginResponseSchema = SessionViewSchema.extend({ token: z.string() });

export const RevokeSessionsResponseSchema = z.object({ agentId: z.string(), revoked: z.number() });
