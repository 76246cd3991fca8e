package mail_test

import (
	"reflect"
	"testing"

	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/samples"
)

// FuzzParseClassify: no input panics Parse or Classify, and Classify
// gives the same notices twice.
func FuzzParseClassify(f *testing.F) {
	for _, s := range samples.Build(testNow, samples.Names{}) {
		f.Add(s.Raw)
	}
	c := newClassifier(f, mail.Options{Known: testKnown(), TrustedAuthServID: samples.MXAuthServID,
		Rules: []mail.Rule{{Name: "r", Subject: `^zz(\d+)$`, Kind: "x", Confirm: true, DeadlineDays: 3, AutoConfirm: true, LinkHosts: []string{"a.example"}}}})
	lim := mail.Limits{MaxAttachmentBytes: 1 << 20, MaxTextBytes: 64 << 10, MaxParts: 50}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := mail.Parse(raw, lim)
		if err != nil {
			return
		}
		a, b := c.Classify(m), c.Classify(m)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("Classify is not deterministic:\n%+v\n%+v", a, b)
		}
		for _, n := range a {
			if n.Kind == "" || n.Summary == "" {
				t.Fatalf("empty kind or summary: %+v", n)
			}
		}
	})
}
