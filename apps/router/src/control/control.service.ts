import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type {
  ControlAction,
  ListQueuesResponseV1,
  RoutingStateV1,
  SetAgentPresenceRequestV1,
  SetAgentPresenceResponseV1,
} from '@omnigate/contracts';
import { AgentsRepository, ConversationRoutingRepository } from '@omnigate/store';
import type { RoutingPatch, RoutingRow } from '@omnigate/store';
import { ConversationEventsService } from '../events/conversation-events.service';
import { ConversationNotFoundError } from '../shared/router.errors';
import { ControlConflictError } from './control.errors';
import { handoffNoticeDetail, toQueueCounts, toRoutingState } from './control.mapper';
import type { HandoffSummary } from './control.mapper';

/**
 * The control protocol: exactly one of bot or agent answers a conversation. bot_active →
 * pending (handoff, waiting in its queue) → agent_active (assigned) → released. Every change is a
 * compare-and-set on the stored state and is announced as `routing.changed`; `causeId` (the
 * inbound message, the request) names the event, so a redelivered cause announces nothing twice.
 */
@Injectable()
export class ControlService {
  private readonly logger = new Logger('control');

  constructor(
    private readonly routing: ConversationRoutingRepository,
    private readonly agents: AgentsRepository,
    private readonly events: ConversationEventsService,
  ) {}

  /** The bot hands over: pending with a summary for the agent, then the first free agent. */
  async handoff(conversationId: string, summary: HandoffSummary, causeId: string): Promise<void> {
    const row = await this.routing.update(
      conversationId,
      { control: 'pending', assignedAgent: null },
      ['bot_active'],
    );
    if (!row) return; // Someone answers already (an agent took over, or a redelivery).
    await this.events.notice(
      conversationId,
      `conv:${conversationId}:${causeId}:handoff`,
      'handoff.summary',
      handoffNoticeDetail(summary, row),
    );
    await this.announce(row, 'handoff', causeId, summary.fraudAlertId);
    await this.tryAssign(conversationId, causeId);
  }

  /** A waiting conversation goes to the least busy available agent with its skill, if any. */
  async tryAssign(conversationId: string, causeId: string): Promise<RoutingRow | null> {
    const row = await this.routing.assign(conversationId);
    if (row) await this.announce(row, 'assigned', causeId);
    return row;
  }

  /** An agent's reply: whoever answered before (bot, nobody), the agent answers now. */
  async onAgentReply(conversationId: string, agentId: string, causeId: string): Promise<void> {
    const row = await this.routing.update(
      conversationId,
      { control: 'agent_active', assignedAgent: agentId },
      ['bot_active', 'pending', 'released'],
    );
    if (row) await this.announce(row, 'agent_replied', causeId);
  }

  async setControl(
    conversationId: string,
    agentId: string,
    action: ControlAction,
  ): Promise<RoutingStateV1> {
    const current = await this.routing.get(conversationId);
    if (!current) throw new ConversationNotFoundError();
    const patch = patchFor(action, agentId);
    if (action !== 'take_over' && current.assignedAgent && current.assignedAgent !== agentId) {
      throw new ControlConflictError();
    }
    if (current.control === patch.control && current.assignedAgent === patch.assignedAgent) {
      return toRoutingState(current);
    }
    // Compare-and-set on the state read: a concurrent change makes this one a conflict.
    const row = await this.routing.update(conversationId, patch, [current.control]);
    if (!row) throw new ControlConflictError();
    const cause = randomUUID();
    await this.announce(row, reasonFor(action), cause);
    // The agent has room again: what waits in their queues comes to them.
    if (action !== 'take_over') await this.assignWaiting(agentId, cause);
    return toRoutingState(row);
  }

  /** Presence; an agent who comes available takes what waits in their queues, top priority first. */
  async setPresence(req: SetAgentPresenceRequestV1): Promise<SetAgentPresenceResponseV1> {
    const agent = await this.agents.setPresence(req);
    const assigned = await this.assignWaiting(agent.id, randomUUID());
    this.logger.log({ msg: 'agent presence', agentId: agent.id, available: agent.available === 1 });
    return {
      agentId: agent.id,
      available: agent.available === 1,
      skills: req.skills,
      maxConcurrent: agent.maxConcurrent,
      assigned,
    };
  }

  /** Offers the conversations waiting in an available agent's queues; returns those they got. */
  private async assignWaiting(agentId: string, cause: string): Promise<string[]> {
    const agent = await this.agents.get(agentId);
    if (!agent || agent.available !== 1) return [];
    const assigned: string[] = [];
    for (const waiting of await this.routing.waiting(agent.skills, agent.maxConcurrent)) {
      const row = await this.tryAssign(waiting.conversationId, cause);
      if (row?.assignedAgent === agent.id) assigned.push(row.conversationId);
    }
    return assigned;
  }

  async listQueues(): Promise<ListQueuesResponseV1> {
    return { queues: toQueueCounts(await this.routing.queueCounts()) };
  }

  private async announce(
    row: RoutingRow,
    reason: string,
    causeId: string,
    fraudAlertId: string | null = null,
  ): Promise<void> {
    await this.events.routingChanged(
      row,
      reason,
      `conv:${row.conversationId}:${causeId}:routing:${reason}`,
      fraudAlertId,
    );
  }
}

function patchFor(
  action: ControlAction,
  agentId: string,
): Required<Pick<RoutingPatch, 'control' | 'assignedAgent'>> {
  switch (action) {
    case 'take_over':
      return { control: 'agent_active', assignedAgent: agentId };
    case 'hand_back':
      return { control: 'bot_active', assignedAgent: null };
    case 'release':
      return { control: 'released', assignedAgent: null };
  }
}

function reasonFor(action: ControlAction): string {
  switch (action) {
    case 'take_over':
      return 'agent_took_over';
    case 'hand_back':
      return 'handed_back';
    case 'release':
      return 'released';
  }
}
