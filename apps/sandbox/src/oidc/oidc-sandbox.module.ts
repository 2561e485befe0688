import { Module } from '@nestjs/common';
import { OidcController } from './oidc.controller';
import { OidcProviderService } from './oidc-provider.service';

/** The OpenID Connect stand-in the console's single sign-on is tested and demonstrated with. */
@Module({ controllers: [OidcController], providers: [OidcProviderService] })
export class OidcSandboxModule {}
