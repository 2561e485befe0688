import { counter } from '@omnigate/kit';

/**
 * Step-ups by the action they are bound to and what happened: requested, approved, rejected,
 * expired, refused (an answer refused: weak or stale login, wrong nonce, decided already), used
 * (the action carried out on it), use_refused (asked to use one already used or lapsed).
 */
export const stepUps = counter('omnigate_router_step_ups_total', 'Step-up requests by outcome', [
  'action',
  'outcome',
]);
