import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BUS_OPTIONS } from './bus.options';
import type { BusOptions } from './bus.options';
import { NatsConnection } from './nats-connection';
import { BusPublisher } from './bus-publisher';
import { BusConsumers } from './bus-consumer';
import { BusClient } from './bus-client';
import { KvStore } from './kv-store';
import { BusSubscriber } from './bus-subscriber';
import { DeadLetterReader } from './dead-letter-reader';
import { DeadLetterRedriver } from './dead-letter-redriver';

@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS_OPTIONS, useValue: options },
        NatsConnection,
        BusPublisher,
        BusConsumers,
        BusClient,
        KvStore,
        BusSubscriber,
        DeadLetterReader,
        DeadLetterRedriver,
      ],
      exports: [
        NatsConnection,
        BusPublisher,
        BusConsumers,
        BusClient,
        KvStore,
        BusSubscriber,
        DeadLetterReader,
        DeadLetterRedriver,
      ],
    };
  }
}
