package telemetry

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// A stage's span continues the trace its message carries, whatever the
// case of the header key, and names the dossier.
func TestStageSpansFormOneTrace(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	ctx, first := tp.Tracer("t").Start(context.Background(), "stage intake")
	hdr := map[string]string{}
	Inject(ctx, hdr)
	first.End()
	if hdr["traceparent"] == "" {
		t.Fatalf("no traceparent injected: %v", hdr)
	}
	nats := map[string][]string{"Traceparent": {hdr["traceparent"]}}
	ctx2 := Extract(context.Background(), nats)
	_, span := tp.Tracer("t").Start(ctx2, "stage extract")
	span.SetAttributes(attribute.String(AttrDossierID, "hs-1"))
	span.End()
	spans := rec.Ended()
	if len(spans) != 2 || spans[1].Parent().SpanID() != spans[0].SpanContext().SpanID() ||
		spans[1].SpanContext().TraceID() != spans[0].SpanContext().TraceID() {
		t.Fatalf("extract span is not a child of intake's: %+v", spans)
	}
}
