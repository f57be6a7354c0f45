# syntax=docker/dockerfile:1
# The API and the scale-out worker, one Dockerfile with two final targets:
#   docker build --target api    -t picturebook-api .
#   docker build --target worker -t picturebook-worker .
# (docker-compose.yml builds both.) Multi-stage: the SDK only builds; the final images are the ASP.NET Core
# runtime plus the published app, running as the image's non-root `app` user.

ARG DOTNET_VERSION=10.0

# ---- build: restore (cached until a project file or package version changes), then publish ----
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
# Node.js and npm build the browser UI (src/PictureBook.Frontend: npm ci + esbuild, run by its MSBuild target).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/PictureBook.Observability/PictureBook.Observability.csproj src/PictureBook.Observability/
COPY src/PictureBook.Core/PictureBook.Core.csproj src/PictureBook.Core/
COPY src/PictureBook.Api/PictureBook.Api.csproj src/PictureBook.Api/
COPY src/PictureBook.Frontend/PictureBook.Frontend.csproj src/PictureBook.Frontend/
COPY src/PictureBook.Worker/PictureBook.Worker.csproj src/PictureBook.Worker/
# The API references Core, Observability and Web; the worker only Core and Observability (its image holds no UI).
RUN dotnet restore src/PictureBook.Api/PictureBook.Api.csproj && dotnet restore src/PictureBook.Worker/PictureBook.Worker.csproj
COPY src/ src/

FROM build AS publish-api
RUN dotnet publish src/PictureBook.Api/PictureBook.Api.csproj -c Release --no-restore -o /app /p:UseAppHost=false

FROM build AS publish-worker
RUN dotnet publish src/PictureBook.Worker/PictureBook.Worker.csproj -c Release --no-restore -o /app /p:UseAppHost=false

# ---- runtime base: no SDK, non-root ----
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
# data/ holds Sentry's offline cache (Sentry:CacheDirectoryPath) and, without PostgreSQL, the SQLite files;
# it must be writable by the non-root user. Mount a volume here to keep it across restarts.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
# JSON log lines to stdout (collected by Alloy); the ASP.NET Core environment is Production unless overridden.
ENV DOTNET_ENVIRONMENT=Production \
    ASPNETCORE_ENVIRONMENT=Production \
    Logging__Format=json
# $APP_UID is the `app` user the aspnet image ships (uid 1654), so Kubernetes' runAsNonRoot can verify it.
USER $APP_UID
# No HEALTHCHECK here: the image has no curl, and compose (bash /dev/tcp) and Kubernetes (httpGet probes)
# define their own checks against /health/live and /health/ready.

FROM runtime AS worker
COPY --from=publish-worker /app .
# The aspnet image sets ASPNETCORE_HTTP_PORTS=8080, which the app honours over its own default; set the
# contract's port explicitly (worker metrics and health on 8001).
ENV ASPNETCORE_HTTP_PORTS=8001
EXPOSE 8001
ENTRYPOINT ["dotnet", "PictureBook.Worker.dll"]

# Last, so a plain `docker build .` produces the API.
FROM runtime AS api
COPY --from=publish-api /app .
ENV ASPNETCORE_HTTP_PORTS=8000
# 8000: the public port. 9464: the management port (Management:Port) with /metrics and the detailed /health.
EXPOSE 8000 9464
ENTRYPOINT ["dotnet", "PictureBook.Api.dll"]
