// Package telemetry provides hoso's operational views: OpenTelemetry
// tracing across stages (the trace context travels in NATS message
// headers, every span carries the dossier id), a Prometheus collector that
// reads per-stage and per-pipeline-version figures from PostgreSQL (the
// record every process shares), and the stage overview behind `hoso top`,
// `hoso stuck` and GET /api/v1/stages.
package telemetry

import (
	"context"
	"fmt"
	"io"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/hoso-vn/hoso/internal/config"
)

// AttrDossierID is the span attribute that names the dossier.
const AttrDossierID = "hoso.dossier_id"

// Tracer is the tracer of hoso's stages.
func Tracer() trace.Tracer { return otel.Tracer("github.com/hoso-vn/hoso/workers") }

var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// SetupTracing installs the global tracer provider from the configuration:
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT exports
// OTLP over HTTP (the exporter reads the standard OTEL_* variables);
// HOSO_TRACE=stdout writes spans as JSON to stdout (w); otherwise spans are
// not recorded, but trace context still flows between stages. The returned
// function flushes and stops the exporter.
func SetupTracing(ctx context.Context, cfg config.Config, w io.Writer) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(propagator)
	var exp sdktrace.SpanExporter
	switch {
	case cfg.OTLPEndpoint != "" || cfg.OTLPTracesEndpoint != "":
		exp, err = otlptracehttp.New(ctx)
	case cfg.Trace == "stdout":
		exp, err = stdouttrace.New(stdouttrace.WithWriter(w))
	default:
		return func(context.Context) error { return nil }, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tracing exporter: %w", err)
	}
	name := cfg.OTELServiceName
	if name == "" {
		name = "hoso"
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", name))))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// Inject writes ctx's trace context into message headers.
func Inject(ctx context.Context, hdr map[string]string) {
	propagator.Inject(ctx, propagation.MapCarrier(hdr))
}

// Extract reads a trace context from NATS message headers (whose keys
// keep the case they were set with).
func Extract(ctx context.Context, hdr map[string][]string) context.Context {
	return propagator.Extract(ctx, headerCarrier(hdr))
}

type headerCarrier map[string][]string

func (h headerCarrier) Get(key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	for k, v := range h {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
func (h headerCarrier) Set(key, value string) { h[key] = []string{value} }
func (h headerCarrier) Keys() []string {
	out := make([]string, 0, len(h))
	for k := range h {
		out = append(out, k)
	}
	return out
}

// StartStage starts the span of one stage delivery, continuing the trace
// carried by the message.
func StartStage(ctx context.Context, hdr map[string][]string, stage, dossierID string, delivery int) (context.Context, trace.Span) {
	ctx = Extract(ctx, hdr)
	return Tracer().Start(ctx, "stage "+stage, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.String(AttrDossierID, dossierID), attribute.String("hoso.stage", stage),
			attribute.Int("messaging.delivery", delivery), attribute.String("messaging.system", "nats")))
}
