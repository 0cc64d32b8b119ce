# syntax=docker/dockerfile:1
# duban 督办 — static binary in a distroless image.
#   docker build --build-arg VERSION=$(git describe --always) -t duban .
#   docker run -d --env-file duban.env -v duban-data:/data duban
# See docs/deploy.md.

# golang images set GOTOOLCHAIN=local: the tag must carry Go >= 1.26 (go.mod).
FROM golang:1.26 AS build
WORKDIR /src
# Module downloads are cached in their own layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# timetzdata embeds the zone database, so Asia/Shanghai (--tz) resolves even
# where /usr/share/zoneinfo is missing.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata \
        -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/duban ./cmd/duban \
 && mkdir -p /out/data

# distroless/static: CA certificates, tzdata, /etc/passwd with "nonroot"
# (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/duban /duban
# The volume's mount point must exist and belong to the runtime user, or a
# fresh named volume is created root-owned and duban cannot write to it.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
ENV DUBAN_DB=/data/duban.db \
    TZ=Asia/Shanghai
# Nothing is exposed by default: long polling needs no inbound port, and the
# operations listener binds the container's loopback (127.0.0.1:9180).
# For webhook mode or /healthz from outside, set DUBAN_WEBHOOK_LISTEN or
# DUBAN_HTTP=0.0.0.0:9180 and publish the port yourself.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/duban"]
CMD ["serve"]
