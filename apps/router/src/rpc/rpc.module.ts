import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { ContextModule } from '../context/context.module';
import { ReplyModule } from '../reply/reply.module';
import { RouterRpcHandler } from './router-rpc.handler';

/** The consoles' requests: replies, a customer's context, agents' actions. */
@Module({
  imports: [ActionsModule, ContextModule, ReplyModule],
  controllers: [RouterRpcHandler],
})
export class RpcModule {}
