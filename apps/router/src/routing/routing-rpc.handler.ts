import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  ListQueuesRequestV1Schema,
  SetAgentPresenceRequestV1Schema,
  SetControlRequestV1Schema,
  Subjects,
} from '@omnigate/contracts';
import { RPC_QUEUE } from '../rpc/router-rpc.handler';
import { ControlService } from './control.service';

/** Consoles → router: who answers a conversation, agents' presence, queue counts. */
@Injectable()
export class RoutingRpcHandler implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: BusRpc,
    private readonly control: ControlService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(
      Subjects.rpc.setControl,
      SetControlRequestV1Schema,
      (req) => this.control.setControl(req.conversationId, req.agentId, req.action),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.setAgentPresence,
      SetAgentPresenceRequestV1Schema,
      (req) => this.control.setPresence(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.listQueues,
      ListQueuesRequestV1Schema,
      () => this.control.listQueues(),
      RPC_QUEUE,
    );
  }
}
