package main

// `--out golive=FILE`: k6's JSON output format (one {"metric","type":"Point","data":{time, value,
// tags}} object a line, as `--out json` writes it), but only for the metrics named in
// GOLIVE_K6_METRICS (comma-separated). k6 sends every request's ~14 built-in samples to every
// output and cannot filter them (grafana/k6#1321); encoding them all as JSON, and golive reading
// them back, cost k6 a share of its own requests/s that this output does not (BENCHMARKS.md).

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mailru/easyjson/jwriter"

	"go.k6.io/k6/metrics"
	"go.k6.io/k6/output"
)

func init() {
	output.RegisterExtension("golive", newOutput)
}

type goliveOutput struct {
	output.SampleBuffer
	params  output.Params
	wanted  map[string]bool
	file    io.WriteCloser
	out     *bufio.Writer
	flusher *output.PeriodicFlusher
}

func newOutput(p output.Params) (output.Output, error) {
	if p.ConfigArgument == "" {
		return nil, fmt.Errorf("golive output: give a file, --out golive=FILE")
	}
	list := p.Environment["GOLIVE_K6_METRICS"]
	if list == "" {
		return nil, fmt.Errorf("golive output: GOLIVE_K6_METRICS names no metric (comma-separated names)")
	}
	wanted := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		wanted[strings.TrimSpace(name)] = true
	}
	return &goliveOutput{params: p, wanted: wanted}, nil
}

func (o *goliveOutput) Description() string { return fmt.Sprintf("golive (%s)", o.params.ConfigArgument) }

func (o *goliveOutput) Start() error {
	// os, not the params' FS: the file is golive's FIFO, which k6's afero FS would not open as one
	f, err := os.OpenFile(o.params.ConfigArgument, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	o.file, o.out = f, bufio.NewWriterSize(f, 64*1024)
	o.flusher, err = output.NewPeriodicFlusher(200*time.Millisecond, o.flush)
	return err
}

func (o *goliveOutput) Stop() error {
	o.flusher.Stop() // flushes what is buffered one last time
	if err := o.out.Flush(); err != nil {
		_ = o.file.Close()
		return err
	}
	return o.file.Close()
}

func (o *goliveOutput) flush() {
	w := jwriter.Writer{NoEscapeHTML: true}
	for _, sc := range o.GetBufferedSamples() {
		for _, s := range sc.GetSamples() {
			if !o.wanted[s.Metric.Name] {
				continue
			}
			writeSample(&w, s)
		}
	}
	if _, err := w.DumpTo(o.out); err != nil {
		o.params.Logger.WithError(err).Error("golive output: a write failed")
		return
	}
	if err := o.out.Flush(); err != nil {
		o.params.Logger.WithError(err).Error("golive output: a write failed")
	}
}

func writeSample(w *jwriter.Writer, s metrics.Sample) {
	w.RawString(`{"metric":`)
	w.String(s.Metric.Name)
	w.RawString(`,"type":"Point","data":{"time":"`)
	w.Buffer.Buf = s.Time.AppendFormat(w.Buffer.Buf, time.RFC3339Nano)
	w.RawString(`","value":`)
	w.Float64(s.Value)
	w.RawString(`,"tags":`)
	if s.Tags == nil {
		w.RawString("null")
	} else {
		s.Tags.MarshalEasyJSON(w)
	}
	w.RawString("}}\n")
}
