package cloudflaretest_test

import (
	"testing"

	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
)

// TestChanges checks that the change count moves with everything that may
// change the world, and only with that.
func TestChanges(t *testing.T) {
	s := cloudflaretest.NewServer(cloudflaretest.Options{})
	defer s.Close()
	id := s.AddZone("example.org")
	world, err := s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	rec := `{"type":"A","name":"www","content":"192.0.2.1","ttl":1}`
	tests := []struct {
		name  string
		do    func()
		moves bool
	}{
		{"list zones", func() { call(t, s, "GET", "/zones", "") }, false},
		{"list records", func() { call(t, s, "GET", "/zones/"+id+"/dns_records", "") }, false},
		{"get zone", func() { call(t, s, "GET", "/zones/"+id, "") }, false},
		{"unauthorized post", func() { callAuth(t, s, "POST", "/zones/"+id+"/dns_records", rec, "Bearer wrong") }, false},
		{"add an existing zone", func() { s.AddZone("EXAMPLE.org.") }, false},
		{"post a record", func() { call(t, s, "POST", "/zones/"+id+"/dns_records", rec) }, true},
		{"refused post (identical record)", func() { call(t, s, "POST", "/zones/"+id+"/dns_records", rec) }, true},
		{"batch", func() { call(t, s, "POST", "/zones/"+id+"/dns_records/batch", `{"posts":[]}`) }, true},
		{"add a zone", func() { s.AddZone("example.net") }, true},
		{"add a record", func() { s.AddRecord("example.org", cloudflaretest.Record{Name: "@", Type: "TXT", Content: "x"}) }, true},
		{"set records", func() { s.SetRecords("example.net", nil) }, true},
		{"unmarshal a world", func() {
			if err := s.UnmarshalState(world); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Changes()
			tt.do()
			if moved := s.Changes() != before; moved != tt.moves {
				t.Errorf("count moved = %v, want %v", moved, tt.moves)
			}
		})
	}
}

func TestHasZone(t *testing.T) {
	s := cloudflaretest.NewHandler(cloudflaretest.Options{})
	id := s.AddZone("bücher.example")
	for _, tt := range []struct {
		zone string
		want bool
	}{
		{"bücher.example", true},
		{"xn--bcher-kva.example.", true},
		{id, true},
		{"other.example", false},
		{"", false},
	} {
		if got := s.HasZone(tt.zone); got != tt.want {
			t.Errorf("HasZone(%q) = %v, want %v", tt.zone, got, tt.want)
		}
	}
}
