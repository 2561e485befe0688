import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LIVE_NAMESPACE, LiveEvents } from '../live/live.dto';
import { AGENT_AUTH } from './openapi.decorators';
import { openApiComponentSchemas } from './openapi.schemas';
import { mountSwaggerUi } from './swagger-ui.assets';

const LIVE_DESCRIPTION = `
Agent console API (issue 2: list, timeline, context, reply, typing; the web UI of issue 6 builds on it).

**Auth.** \`POST /api/login\` returns a token; send it as \`Authorization: Bearer <token>\` on every other \`/api\` route.
Supervisors, admins and dpos also send \`totp\` (their authenticator's 6-digit code). Failed logins lock the account and the
address for a while (429 CONSOLE.LOGIN_LOCKED with Retry-After). Sessions are server-side: \`POST /api/logout\`, a role change
or an admin's \`POST /api/agents/{agentId}/sessions/revoke\` end them at once (401 CONSOLE.SESSION_REVOKED).

**Live events.** socket.io namespace \`${LIVE_NAMESPACE}\` on this port, \`io(url + '${LIVE_NAMESPACE}', { auth: { token } })\`.
A refused connection gets \`connect_error\` with the code as message (CONSOLE.UNAUTHORIZED, CONSOLE.TOKEN_INVALID, CONSOLE.TOKEN_EXPIRED, CONSOLE.SESSION_REVOKED).
Server → client events:
- \`${LiveEvents.conversationEvent}\`: a ConversationEventV1 (message.created, message.status, consent.changed), as published by the router.
- \`${LiveEvents.typing}\`: a TypingSignalV1 from the customer.
- \`${LiveEvents.sessionExpired}\`: the session ended (\`{ code }\`: expired or revoked); the socket is closed, log in again.
Nothing is replayed: after a reconnect, reload the list and the open timeline.`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Omnigate agent console')
    .setVersion('1')
    .setDescription(LIVE_DESCRIPTION.trim())
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'session token from POST /api/login' },
      AGENT_AUTH,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...openApiComponentSchemas() },
  };
  return document;
}

/** The document at /docs-json (built on first request, once every route is known) and Swagger UI at /docs. */
export function mountOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: 'docs-json',
  });
  mountSwaggerUi(app.getHttpAdapter().getInstance(), {
    path: '/docs',
    documentUrl: '/docs-json',
    title: 'Omnigate agent console API',
  });
}
