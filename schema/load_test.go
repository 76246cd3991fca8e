package schema

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func intp(i int) *int { return &i }

func TestLoadFullExample(t *testing.T) {
	st, err := Load("testdata/full")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", "full", "lagrieta.yaml")
	at := func(line, col int) Pos { return Pos{File: file, Line: line, Col: col} }
	want := &State{
		Providers: Providers{Cloudflare: &Cloudflare{
			APIToken: CredentialRef{Env: "CLOUDFLARE_API_TOKEN"},
			APIURL:   "https://api.cloudflare.com/client/v4",
		}},
		Policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10, Protected: []string{"lagrieta.es/@/MX", "*/@/NS"}}, Monitoring: defaultMonitoring,
		Zones: []Zone{{
			Name: "lagrieta.es", Provider: "cloudflare", Purge: true,
			Unmanaged: []Unmanaged{{Name: "_acme-challenge*", Type: "TXT"}},
			Pos:       at(10, 5),
			Records: []Record{
				{Name: "@", Type: "A", Value: "203.0.113.10", Proxied: true, Pos: at(16, 9)},
				{Name: "www", Type: "CNAME", Value: "lagrieta.es", Proxied: true, Pos: at(17, 9)},
				{Name: "@", Type: "MX", Value: "mx1.example.net", Priority: intp(10), TTL: 3600, Pos: at(18, 9)},
				{Name: "@", Type: "TXT", Value: "v=spf1 include:_spf.example.net ~all", Pos: at(19, 9)},
				{Name: "@", Type: "CAA", Value: `0 issue "letsencrypt.org"`, Pos: at(20, 9)},
				{Name: "_sip._tcp", Type: "SRV", Value: "5 5060 sip.lagrieta.es", Priority: intp(10), Pos: at(21, 9)},
				{Name: "sub", Type: "NS", Value: "ns1.example.net", Pos: at(22, 9)},
				{Name: "nas", Type: "CNAME", Value: "lagrieta.ddns.net", Comment: "office NAS via NoIP", Protected: true, Pos: at(23, 9)},
			},
		}},
		Files: []string{"lagrieta.yaml"},
	}
	st.Origins, st.Dir = nil, "" // TestWhere
	if !reflect.DeepEqual(st, want) {
		t.Errorf("Load() =\n%+v\nwant\n%+v", st, want)
	}
}

func TestLoadValid(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want *State
	}{
		{
			name: "defaults filled",
			fsys: files("a.yaml", "zones:\n  - name: x.example\n    provider: cloudflare\n    unmanaged: [{}, {type: TXT}]\n    records:\n      - {name: www, type: A, value: 192.0.2.1}\n"),
			want: &State{
				Policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10}, Monitoring: defaultMonitoring,
				Zones: []Zone{{
					Name: "x.example", Provider: "cloudflare", Purge: true,
					Unmanaged: []Unmanaged{{Name: "*", Type: "*"}, {Name: "*", Type: "TXT"}},
					Records:   []Record{{Name: "www", Type: "A", Value: "192.0.2.1", Pos: Pos{"a.yaml", 6, 9}}},
					Pos:       Pos{"a.yaml", 2, 5},
				}},
				Files: []string{"a.yaml"},
			},
		},
		{
			name: "unicode zone and record names",
			fsys: files("a.yaml", "zones:\n  - name: cañón.es\n    provider: cloudflare\n    purge: false\n    records:\n      - {name: ñandú, type: TXT, value: \"¡hola!\"}\n      - {name: \"*.café\", type: A, value: 192.0.2.1}\n"),
			want: &State{
				Policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10}, Monitoring: defaultMonitoring,
				Zones: []Zone{{
					Name: "cañón.es", Provider: "cloudflare",
					Records: []Record{
						{Name: "ñandú", Type: "TXT", Value: "¡hola!", Pos: Pos{"a.yaml", 6, 9}},
						{Name: "*.café", Type: "A", Value: "192.0.2.1", Pos: Pos{"a.yaml", 7, 9}},
					},
					Pos: Pos{"a.yaml", 2, 5},
				}},
				Files: []string{"a.yaml"},
			},
		},
		{
			name: "files merge: maps unify, zones concatenate, equal values agree",
			fsys: files(
				"providers.yaml", "providers:\n  cloudflare:\n    api_token: {file: /run/secrets/cf}\npolicy:\n  max_change_percent: 50\n",
				"zones/b.yaml", "zones:\n  - {name: b.example, provider: cloudflare}\npolicy:\n  max_change_percent: 50\n  protected: [\"*/@/NS\"]\n",
				"zones/a.yml", "zones:\n  - {name: a.example, provider: cloudflare}\nproviders:\n  cloudflare:\n    api_url: http://127.0.0.1:8080\n",
			),
			want: &State{
				Providers: Providers{Cloudflare: &Cloudflare{APIToken: CredentialRef{File: "/run/secrets/cf"}, APIURL: "http://127.0.0.1:8080"}},
				Policy:    Policy{MaxChangePercent: 50, MinZoneRecords: 10, Protected: []string{"*/@/NS"}}, Monitoring: defaultMonitoring,
				Zones: []Zone{
					{Name: "a.example", Provider: "cloudflare", Purge: true, Pos: Pos{"zones/a.yml", 2, 5}},
					{Name: "b.example", Provider: "cloudflare", Purge: true, Pos: Pos{"zones/b.yaml", 2, 5}},
				},
				Files: []string{"providers.yaml", "zones/a.yml", "zones/b.yaml"},
			},
		},
		{
			name: "multi-document file: each document a part",
			fsys: files("a.yaml", "zones:\n  - {name: a.example, provider: cloudflare}\n---\nzones:\n  - {name: b.example, provider: cloudflare}\n"),
			want: &State{
				Policy: Policy{MaxChangePercent: 30, MinZoneRecords: 10}, Monitoring: defaultMonitoring,
				Zones: []Zone{
					{Name: "a.example", Provider: "cloudflare", Purge: true, Pos: Pos{"a.yaml", 2, 5}},
					{Name: "b.example", Provider: "cloudflare", Purge: true, Pos: Pos{"a.yaml", 5, 5}},
				},
				Files: []string{"a.yaml"},
			},
		},
		{
			name: "hidden directories are skipped",
			fsys: files(".git/x.yaml", "bad: [", "a/.hidden/y.yaml", "bad: [", "a.yaml", "policy: {min_zone_records: 3}\n"),
			want: &State{Policy: Policy{MaxChangePercent: 30, MinZoneRecords: 3}, Monitoring: defaultMonitoring, Files: []string{"a.yaml"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := LoadFS(tt.fsys)
			if err != nil {
				t.Fatal(err)
			}
			st.Origins = nil // TestWhere
			if !reflect.DeepEqual(st, tt.want) {
				t.Errorf("LoadFS() =\n%+v\nwant\n%+v", st, tt.want)
			}
		})
	}
}

// A state with no file, or whose files declare nothing, is invalid; an
// import may start from it (LoadAllowEmpty).
func TestLoadEmpty(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"empty directory", nil, "no state files in "},
		{"other files only", map[string]string{"notes.txt": "zones: [1]\n", ".git/x.yaml": "zones: []\n"}, "no state files in "},
		{"empty and null documents", map[string]string{"a.yaml": "", "b.yml": "~\n", "c.yaml": "# nothing\n"}, "the state files declare nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(dir)
			var errs Errors
			if !errors.As(err, &errs) || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), dir+": ") {
				t.Fatalf("Load() = %v, want Errors naming %s: %q", err, dir, tt.want)
			}
			st, err := LoadAllowEmpty(dir)
			if err != nil {
				t.Fatalf("LoadAllowEmpty() = %v", err)
			}
			if len(st.Zones) != 0 || st.Policy.MaxChangePercent != 30 {
				t.Errorf("LoadAllowEmpty() = %+v, want an empty state with defaults", st)
			}
		})
	}
}

// Load names files as the caller named the directory.
func TestLoadNamesFilesUnderDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "dns"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "zones:\n  - {name: x, provider: nobody}\n"
	if err := os.WriteFile(filepath.Join(dir, "dns", "x.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	want := filepath.Join(dir, "dns", "x.yaml") + `:2:25: zones[0].provider: "nobody" is not allowed, want one of cloudflare, godaddy`
	if err == nil || err.Error() != want {
		t.Errorf("Load() error = %v, want %s", err, want)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Errorf("Load() of a missing directory succeeded")
	}
}

func TestSchema(t *testing.T) {
	for _, def := range []string{"#State", "#Zone", "#Record", "#RecordShape", "#NameTypes"} {
		if !strings.Contains(Schema(), "\n"+def+":") {
			t.Errorf("Schema() lacks %s", def)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.yaml", Line: 3, Col: 5, Path: "zones[0].name", Msg: "bad"}, "a.yaml:3:5: zones[0].name: bad"},
		{Problem{File: "a.yaml", Msg: "cannot read"}, "a.yaml: cannot read"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if got := (Errors{{File: "a", Line: 1, Col: 1, Msg: "x"}, {File: "b", Line: 2, Col: 3, Msg: "y"}}).Error(); got != "a:1:1: x\nb:2:3: y" {
		t.Errorf("Errors.Error() = %q", got)
	}
}

// defaultMonitoring is what an empty monitoring section defaults to.
var defaultMonitoring = Monitoring{KeepRaw: "14d", KeepRollups: "400d"}
