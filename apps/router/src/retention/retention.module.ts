import { Module } from '@nestjs/common';
import { RetentionService } from './retention.service';

/** The periodic purge of what the retention policy no longer allows to keep. */
@Module({ providers: [RetentionService] })
export class RetentionModule {}
