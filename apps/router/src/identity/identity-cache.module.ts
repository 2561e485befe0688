import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { IdentityCache } from './identity-cache.service';

/** The instance's one identity cache, for every module that resolves addresses or lists links. */
@Module({
  imports: [RouterStoreModule],
  providers: [IdentityCache],
  exports: [IdentityCache],
})
export class IdentityCacheModule {}
