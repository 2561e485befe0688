# The WhatsApp gateway. Cloud API or Twilio mode: no browser
#   docker build -f deploy/docker/gateway-whatsapp.Dockerfile -t omnigate/gateway-whatsapp .
# whatsapp-web.js mode (a linked device) needs a browser: Debian's chromium, never puppeteer's download
#   docker build -f deploy/docker/gateway-whatsapp.Dockerfile --build-arg WITH_CHROMIUM=true -t omnigate/gateway-whatsapp:webjs .
# and a persistent volume for /data (the LocalAuth session, so a restart needs no new QR scan).
# Same stages as deploy/docker/Dockerfile; only the runtime differs.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN node tools/build.js gateway-whatsapp && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS app
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production APP=gateway-whatsapp HOST=0.0.0.0 PUPPETEER_SKIP_DOWNLOAD=true \
    WHATSAPP_WEBJS_DATA_PATH=/data/wwebjs_auth WHATSAPP_WEBJS_CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/gateway-whatsapp ./dist
COPY deploy/docker/healthcheck.js ./healthcheck.js
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# 3005: webhooks and /health; 9464: the management port (metrics).
EXPOSE 3005 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["node", "healthcheck.js"]
# Drains its NATS connection and closes the linked browser on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway-whatsapp/src/main.js"]
