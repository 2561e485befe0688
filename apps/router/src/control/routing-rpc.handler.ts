import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type { SetAgentPresenceRequestV1, SetControlRequestV1 } from '@omnigate/contracts';
import { ControlService } from './control.service';

/** Consoles → router: who answers a conversation, agents' presence, queue counts. */
@Controller()
export class RoutingRpcHandler {
  constructor(private readonly control: ControlService) {}

  @OnRequest(RouterRequests.setControl)
  setControl(req: SetControlRequestV1) {
    return this.control.setControl(req.conversationId, req.agentId, req.action);
  }

  @OnRequest(RouterRequests.setAgentPresence)
  setAgentPresence(req: SetAgentPresenceRequestV1) {
    return this.control.setPresence(req);
  }

  @OnRequest(RouterRequests.listQueues)
  listQueues() {
    return this.control.listQueues();
  }
}
