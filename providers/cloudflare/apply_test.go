package cloudflare_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/providertest"
)

func observe(t *testing.T, e env, zone string) []providers.Record {
	t.Helper()
	obs, err := e.p.Observe(ctx(t), zone)
	if err != nil {
		t.Fatal(err)
	}
	return obs.Records
}

// TestApplyChunkAllOrNothing: a chunk with a conflicting record fails as a
// whole, with that error on each of its changes; the other chunks apply.
func TestApplyChunkAllOrNothing(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{BatchSize: 10})
	e.fake.AddZone("lagrieta.es")
	e.fake.AddRecord("lagrieta.es", cloudflaretest.Record{Name: "www", Type: "A", Content: "192.0.2.1"})
	want := manyA("lagrieta.es", 30)
	// change 15 (chunk 2 of 3) is a CNAME where an A exists
	want[15] = providers.Record{Zone: "lagrieta.es", Name: "www", Type: "CNAME", Content: "elsewhere.example.com", TTL: 1}
	errs := e.p.Apply(ctx(t), "lagrieta.es", creates("lagrieta.es", want))
	if len(errs) != 30 {
		t.Fatalf("got %d errors for 30 changes", len(errs))
	}
	for i, err := range errs {
		inChunk2 := i >= 10 && i < 20
		if (err != nil) != inChunk2 {
			t.Errorf("change %d: err = %v", i, err)
			continue
		}
		if inChunk2 {
			msg := err.Error()
			wantPrefix := "cloudflare: zone lagrieta.es: batch 2/3: create cloudflare:lagrieta.es/"
			if !strings.HasPrefix(msg, wantPrefix) || !strings.Contains(msg, "81053 An A, AAAA, or CNAME record with that host already exists.") {
				t.Errorf("change %d: err = %q", i, msg)
			}
			var ae *cloudflare.APIError
			if !errors.As(err, &ae) || ae.Status != 400 {
				t.Errorf("change %d: not an APIError 400: %v", i, err)
			}
		}
	}
	got := observe(t, e, "lagrieta.es")
	expect := []providers.Record{{Zone: "lagrieta.es", Name: "www", Type: "A", Content: "192.0.2.1", TTL: 1}}
	expect = append(expect, want[:10]...)
	expect = append(expect, want[20:]...)
	if d := providertest.SameSet(got, expect); d != "" {
		t.Errorf("records differ:%s", d)
	}
	if st := e.fake.Requests(); st.Batch != 3 {
		t.Errorf("batch requests = %d, want 3", st.Batch)
	}

	// Running the failed changes again after fixing the cause converges.
	var www providers.Record
	for _, r := range got {
		if r.Name == "www" {
			www = r
		}
	}
	rest := append([]providers.Change{{Action: providers.Delete, Zone: "lagrieta.es", Before: &www}}, creates("lagrieta.es", want[10:20])...)
	providertest.NoErrors(t, e.p.Apply(ctx(t), "lagrieta.es", rest))
	if d := providertest.SameSet(observe(t, e, "lagrieta.es"), want); d != "" {
		t.Errorf("after retry:%s", d)
	}
}

func TestApplyThousandCreates(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	e.fake.AddZone("lagrieta.es")
	want := manyA("lagrieta.es", 1000)
	e.fake.ResetStats()
	providertest.NoErrors(t, e.p.Apply(ctx(t), "lagrieta.es", creates("lagrieta.es", want)))
	st := e.fake.Requests()
	if st.Batch > 5 || st.Other != 0 || st.ListRecords != 0 {
		t.Errorf("requests = %+v, want at most 5 batch requests and nothing else but a zone lookup", st)
	}
	if d := providertest.SameSet(observe(t, e, "lagrieta.es"), want); d != "" {
		t.Errorf("records differ:%s", d)
	}
}

func TestApplyBatchLimit(t *testing.T) {
	// a provider configured above the account's limit gets the API's error
	e := setup(t, cloudflaretest.Options{BatchLimit: 50}, cloudflare.Config{BatchSize: 60})
	e.fake.AddZone("lagrieta.es")
	errs := e.p.Apply(ctx(t), "lagrieta.es", creates("lagrieta.es", manyA("lagrieta.es", 60)))
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "81059") {
			t.Fatalf("change %d: err = %v, want the batch-too-large error", i, err)
		}
	}
	if n := len(observe(t, e, "lagrieta.es")); n != 0 {
		t.Errorf("%d records created by a refused batch", n)
	}
}

func TestApplyInvalidSendsNothing(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	e.fake.AddZone("lagrieta.es")
	good := manyA("lagrieta.es", 2)
	bad := providers.Record{Zone: "lagrieta.es", Name: "x", Type: "A", Content: "2001:db8::1"}
	changes := append(creates("lagrieta.es", good), creates("lagrieta.es", []providers.Record{bad})...)
	changes = append(changes,
		providers.Change{Action: providers.Delete, Zone: "lagrieta.es", Before: &providers.Record{Name: "y", Type: "A"}},
		providers.Change{Action: providers.Create, Zone: "other.es", After: &good[0]},
		providers.Change{Action: "rename", Zone: "lagrieta.es", After: &good[0]},
	)
	e.fake.ResetStats()
	errs := e.p.Apply(ctx(t), "lagrieta.es", changes)
	wantErr := []string{"not applied: 4 invalid", "not applied: 4 invalid", "not an IPv4", "without the record's id", `zone "other.es"`, `unknown action "rename"`}
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), wantErr[i]) {
			t.Errorf("change %d: err = %v, want %q", i, err, wantErr[i])
		}
	}
	if st := e.fake.Requests(); st.Total() != 0 {
		t.Errorf("requests = %+v, want none", st)
	}
}

// TestFaults runs apply and observe against a fake that fails 20% of the
// requests (429, 500, connection reset) and expects exactly the desired
// records in the end.
func TestFaults(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{BatchSize: 50, PerPage: 100})
	zones := []string{"lagrieta.es", "xn--and-6ma2c.es"}
	for _, z := range zones {
		e.fake.AddZone(z)
	}
	e.fake.SetFaults(cloudflaretest.Faults{Rate: 0.2, Seed: 7})
	for _, z := range zones {
		want := manyA(z, 400)
		providertest.NoErrors(t, e.p.Apply(ctx(t), z, creates(z, want)))
		got := observe(t, e, z)
		if d := providertest.SameSet(got, want); d != "" {
			t.Fatalf("%s after create:%s", z, d)
		}
		// update half, delete a quarter
		var changes []providers.Change
		for i := range got {
			switch {
			case i%2 == 0:
				after := got[i]
				after.TTL, after.Comment = 300, fmt.Sprintf("n%d", i)
				changes = append(changes, providers.Change{Action: providers.Update, Zone: z, Before: &got[i], After: &after})
			case i%4 == 1:
				changes = append(changes, providers.Change{Action: providers.Delete, Zone: z, Before: &got[i]})
			}
		}
		providertest.NoErrors(t, e.p.Apply(ctx(t), z, changes))
		var final []providers.Record
		for _, c := range changes {
			if c.After != nil {
				final = append(final, *c.After)
			}
		}
		for i := range got {
			if i%2 == 1 && i%4 != 1 {
				final = append(final, got[i])
			}
		}
		if d := providertest.SameSet(observe(t, e, z), final); d != "" {
			t.Fatalf("%s after update and delete:%s", z, d)
		}
	}
	st := e.fake.Requests()
	if st.Failed == 0 {
		t.Fatalf("no fault was injected: %+v", st)
	}
	t.Logf("requests: %+v", st)
}

// TestApplyLostAnswers: every batch is carried out but its answer is lost
// (the connection resets), so the transport retries and Cloudflare answers
// 81058 or 81044. Apply reads the zone and reports what is in effect as
// done, and nothing is duplicated.
func TestApplyLostAnswers(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{BatchSize: 10})
	z := "lagrieta.es"
	e.fake.AddZone(z)
	e.fake.SetFaults(cloudflaretest.Faults{LostResponseRate: 1, Seed: 3})
	want := manyA(z, 25)
	providertest.NoErrors(t, e.p.Apply(ctx(t), z, creates(z, want)))
	got := observe(t, e, z)
	if d := providertest.SameSet(got, want); d != "" {
		t.Fatalf("after create:%s", d)
	}
	after := got[0]
	after.TTL = 3600
	providertest.NoErrors(t, e.p.Apply(ctx(t), z, []providers.Change{
		{Action: providers.Update, Zone: z, Before: &got[0], After: &after},
		{Action: providers.Delete, Zone: z, Before: &got[1]},
	}))
	final := append([]providers.Record{after}, got[2:]...)
	if d := providertest.SameSet(observe(t, e, z), final); d != "" {
		t.Fatalf("after update and delete:%s", d)
	}
	if st := e.fake.Requests(); st.Lost < 5 {
		t.Fatalf("answers were not lost: %+v", st)
	}
	if n := len(e.fake.Records(z)); n != len(final)+2 {
		t.Fatalf("fake holds %d records, want %d", n, len(final)+2)
	}
}

// TestApplyFailureNotInEffect: a batch that really fails (a CNAME where an
// A record stands) stays an error after Apply reads the zone back.
func TestApplyFailureNotInEffect(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	z := "lagrieta.es"
	e.fake.AddZone(z)
	a := mustNormalize(t, providers.Record{Zone: z, Name: "www", Type: "A", Content: "192.0.2.1"})
	providertest.NoErrors(t, e.p.Apply(ctx(t), z, creates(z, []providers.Record{a})))
	cname := mustNormalize(t, providers.Record{Zone: z, Name: "www", Type: "CNAME", Content: "example.net"})
	errs := e.p.Apply(ctx(t), z, creates(z, []providers.Record{cname}))
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "81053") {
		t.Fatalf("err = %v, want 81053", errs[0])
	}
}
