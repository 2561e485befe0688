import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { RetentionService } from './retention.service';

/** The periodic purge of what the retention policy no longer allows to keep. */
@Module({ imports: [RouterStoreModule], providers: [RetentionService] })
export class RetentionModule {}
