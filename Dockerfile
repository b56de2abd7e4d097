# hoso: one static binary plus the tools the extraction stage calls.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/hoso ./cmd/hoso

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      poppler-utils tesseract-ocr tesseract-ocr-vie ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/hoso /usr/local/bin/hoso
COPY data /app/data
COPY pipelines /app/pipelines
WORKDIR /app
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["hoso"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
