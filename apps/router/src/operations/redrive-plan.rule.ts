import { REDRIVABLE_STREAMS } from '@omnigate/contracts';
import type { Actor, RedriveDeadLettersRequestV1 } from '@omnigate/contracts';

/** Who may redrive: supervisors and admins, as in the console (checked here again). */
export const REDRIVERS: ReadonlyArray<Actor['role']> = ['supervisor', 'admin'];

export function mayRedrive(actor: Actor): boolean {
  return REDRIVERS.includes(actor.role);
}

/** One call of DeadLetterRedriver (libs/bus RedriveSelection). */
export type RedriveCall = { id: number } | { all: true; stream: string };

/**
 * What to ask DeadLetterRedriver for. "Everything" means every stream the router may redrive,
 * one stream at a time: an entry of another stream (CARDS, the vault's) is then skipped and
 * stays, instead of a refused publish ending the whole redrive half way. Pure.
 */
export function redrivePlan(req: RedriveDeadLettersRequestV1): RedriveCall[] {
  if ('id' in req) return [{ id: req.id }];
  const streams = req.stream ? [req.stream] : REDRIVABLE_STREAMS;
  return streams.map((stream) => ({ all: true, stream }));
}

/** The selection as the audit trail records it (no payload: ids and names only). */
export function selectionDetail(
  req: RedriveDeadLettersRequestV1,
): Record<string, string | number | boolean> {
  if ('id' in req) return { id: req.id };
  return { all: true, ...(req.stream ? { stream: req.stream } : {}) };
}
