# The WhatsApp gateway. Cloud API or Twilio mode: the generic image is enough
#   docker build -f deploy/docker/gateway-whatsapp.Dockerfile -t omnigate/gateway-whatsapp .
# whatsapp-web.js mode (a linked device) needs a browser: Debian's chromium, never puppeteer's download
#   docker build -f deploy/docker/gateway-whatsapp.Dockerfile --build-arg WITH_CHROMIUM=true -t omnigate/gateway-whatsapp:webjs .
# and a persistent volume for DATA_DIR (the LocalAuth session, so a restart needs no new QR scan).
ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node tools/build.js gateway-whatsapp && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production PUPPETEER_SKIP_DOWNLOAD=true DATA_DIR=/data \
    WHATSAPP_WEBJS_CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/gateway-whatsapp ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3005
# Drains its NATS connection, closes the database and the linked browser on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway-whatsapp/src/main.js"]
