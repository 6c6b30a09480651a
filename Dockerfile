# wxerp in a container: `docker compose up` runs it with PostgreSQL (compose.yaml).
# The bot runs its TypeScript through tsx (a runtime dependency), so there is no build step.

# Dependencies are installed on the full image (compilers for any native module without a
# prebuilt binary), then copied onto the slim one.
FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WXERP_DATA_DIR=/var/lib/wxerp
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY src ./src
COPY plugins ./plugins
COPY config ./config
# The data directory holds this process's logs and the JSONL audit copy (the rest is in PostgreSQL).
RUN mkdir -p /var/lib/wxerp && chown node:node /var/lib/wxerp && ln -s /app/bin/wxerp.js /usr/local/bin/wxerp
USER node
VOLUME ["/var/lib/wxerp"]
# The dashboard; it must listen on 0.0.0.0 inside the container (config dashboard.host).
EXPOSE 7788
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.WXERP_DASHBOARD_PORT || 7788) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["wxerp", "start", "--config", "/app/config/team.example.yaml"]
