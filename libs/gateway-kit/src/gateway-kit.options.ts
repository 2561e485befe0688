import type { Channel } from '@omnigate/contracts';
import type { SendLoopSettings } from './gateway.config';

/** What a gateway tells the kit about itself. */
export interface GatewayKitOptions {
  channel: Channel;
  send: SendLoopSettings;
  /**
   * One spelling of an address for every list the kit keeps (E.164 for phones): what the provider
   * says, what the router sends to and what consent events name must meet. Default: trimmed.
   */
  addressKey?: (address: string) => string;
}

export const GATEWAY_KIT_OPTIONS = Symbol('GATEWAY_KIT_OPTIONS');
