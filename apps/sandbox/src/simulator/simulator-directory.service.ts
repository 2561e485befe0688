import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { cloneSeed } from '../core-banking/core-banking.seed';
import { InappCustomerClient } from './inapp-customer.client';
import { SIMULATOR_CHANNELS, personasOf } from './simulator-personas.mapper';
import type { Persona, SimulatorChannel } from './simulator-personas.mapper';

export interface ChannelState {
  channel: SimulatorChannel;
  configured: boolean;
  /** The config keys to set when it is not. */
  missing: string[];
}

/** Who the simulator can play (the core-banking seed's customers) and which channels work. */
@Injectable()
export class SimulatorDirectoryService {
  readonly personas: readonly Persona[] = personasOf(cloneSeed().customers);

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly inapp: InappCustomerClient,
  ) {}

  channels(): ChannelState[] {
    return SIMULATOR_CHANNELS.map((channel) => {
      const missing = this.missingKeys(channel);
      return { channel, configured: missing.length === 0, missing };
    });
  }

  missingKeys(channel: SimulatorChannel): string[] {
    switch (channel) {
      case 'sms':
        return this.config.SANDBOX_SIMULATOR_SMS_TO ? [] : ['SANDBOX_SIMULATOR_SMS_TO'];
      case 'email':
        return this.config.SANDBOX_SIMULATOR_EMAIL_TO ? [] : ['SANDBOX_SIMULATOR_EMAIL_TO'];
      case 'inapp':
        return this.inapp.missingKeys();
      case 'whatsapp':
      case 'telegram':
        return [];
    }
  }
}
