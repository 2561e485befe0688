# The email gateway: SMTP listener (our MX) or IMAP poller inbound, SMTP submission outbound.
#   docker build -f deploy/docker/gateway-email.Dockerfile -t omnigate/gateway-email .
# The listener binds EMAIL_SMTP_PORT (2525: no root needed); publish port 25 of the MX host name on
# it through the load balancer or `-p 25:2525`, keeping the client IP (SPF) or using the PROXY
# protocol (EMAIL_SMTP_PROXIES=<the balancers' IPs>). STARTTLS: mount the MX certificate and set
# EMAIL_SMTP_TLS_KEY_FILE / EMAIL_SMTP_TLS_CERT_FILE. See the README's "Email" section.
# Same stages as deploy/docker/Dockerfile; only the runtime differs.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN node tools/build.js gateway-email && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS app
ENV NODE_ENV=production APP=gateway-email HOST=0.0.0.0 EMAIL_SMTP_PORT=2525
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/gateway-email ./dist
COPY deploy/docker/healthcheck.js ./healthcheck.js
USER node
# 3006: /health; 2525: SMTP (EMAIL_INBOUND=smtp); 9464: the management port (metrics).
EXPOSE 3006 2525 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "healthcheck.js"]
# On SIGTERM: stops taking mail (transactions in flight get up to 10 s), drains NATS.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway-email/src/main.js"]
