# Parley: `docker compose up` (see docker-compose.yml), or build alone with `docker build .`.
FROM node:20-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    PUPPETEER_SKIP_DOWNLOAD=true \
    npm_config_update_notifier=false

WORKDIR /app

# Dependencies first, so source edits do not invalidate this layer. Dev dependencies are not
# needed at run time: `npm start` runs TypeScript through tsx, a regular dependency.
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .

# Uploaded files (and the embedded database, when DATABASE_URL is not set) live in /data.
RUN mkdir -p /data && chown -R node:node /data
USER node
VOLUME ["/data"]

EXPOSE 3000

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["npm", "start"]
