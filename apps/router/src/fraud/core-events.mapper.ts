import type { CoreEventKind } from '@omnigate/contracts';
import type { FraudAlertKind } from '@omnigate/store';

/** The fraud alert a core-banking event becomes; null for events that are not fraud signals. Pure. */
export function alertKindOf(kind: CoreEventKind): FraudAlertKind | null {
  switch (kind) {
    case 'card_blocked_by_fraud':
    case 'sim_swap':
    case 'new_device':
      return kind;
    case 'card_unblocked':
    case 'phone_changed':
      return null;
  }
}
