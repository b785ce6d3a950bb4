# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY bench ./bench
COPY scripts ./scripts
# The benchmarks' fakes are compiled with the rest (tsconfig.build.json); they never reach the runtime stage.
COPY test/support ./test/support
RUN npm run build

# Runtime stage: production dependencies and the compiled output only, as the unprivileged node user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3978
WORKDIR /app
COPY package.json package-lock.json ./
# The simulated Azure's KQL parser (@kusto/language-service-next, about 30 MB) is a development dependency:
# production images talk to real Azure. `--build-arg WITH_SIMULATOR=true` adds it for a demo image.
ARG WITH_SIMULATOR=false
RUN npm ci --omit=dev --ignore-scripts \
  && if [ "$WITH_SIMULATOR" = "true" ]; then \
       npm install --no-save --omit=dev --ignore-scripts "@kusto/language-service-next@$(node -p "require('./package.json').devDependencies['@kusto/language-service-next']")"; \
     fi \
  && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY runbooks ./runbooks
COPY worlds ./worlds
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3978/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A smaller young generation keeps idle memory low; a chat bot barely notices the extra scavenges.
# The old generation is capped below the manifest's 512 Mi limit: V8 sizes its heap from the node's
# memory, not the container's, and under sustained load would grow past the limit (raise both together).
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=320", "dist/adapters/server/main.js"]
