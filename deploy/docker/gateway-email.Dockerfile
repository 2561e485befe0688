# The email gateway: SMTP listener (our MX) or IMAP poller inbound, SMTP submission outbound.
#   docker build -f deploy/docker/gateway-email.Dockerfile -t omnigate/gateway-email .
# The listener binds EMAIL_SMTP_PORT (2525: no root needed); publish port 25 of the MX host name on
# it through the load balancer or `-p 25:2525`, keeping the client IP (SPF) or using the PROXY
# protocol (EMAIL_SMTP_PROXIES=<the balancers' IPs>). STARTTLS: mount the MX certificate and set
# EMAIL_SMTP_TLS_KEY_FILE / EMAIL_SMTP_TLS_CERT_FILE. See the README's "Email" section.
ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node tools/build.js gateway-email && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production EMAIL_SMTP_PORT=2525 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/gateway-email ./dist
USER node
# 3006: /health and /metrics; 2525: SMTP (EMAIL_INBOUND=smtp).
EXPOSE 3006 2525
# On SIGTERM: stops taking mail (transactions in flight get up to 10 s), drains NATS, closes the database.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway-email/src/main.js"]
