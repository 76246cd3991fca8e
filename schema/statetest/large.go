package statetest

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Style is how a generated large state writes its records.
type Style string

const (
	// Block: one field per line (name: host0 / type: A / ...).
	Block Style = "block"
	// Flow: one flow mapping per line (- {name: host0, type: A}).
	Flow Style = "flow"
	// JSON: the whole file is JSON, one record object per line.
	JSON Style = "json"
)

// PerZone is how many records a zone of a generated large state holds.
const PerZone = 1000

// record is the i-th record of a generated state: four kinds in turn,
// names mostly distinct (as in a real large state), two records per name.
func record(i int) [][2]string {
	switch i % 4 {
	case 0:
		return [][2]string{{"name", "host" + strconv.Itoa(i)}, {"type", "A"}, {"value", fmt.Sprintf("192.0.2.%d", i%250)}, {"proxied", "true"}}
	case 1:
		return [][2]string{{"name", "host" + strconv.Itoa(i-1)}, {"type", "TXT"}, {"value", `"v=spf1 -all ` + strconv.Itoa(i) + `"`}, {"ttl", "3600"}}
	case 2:
		return [][2]string{{"name", `"@"`}, {"type", "MX"}, {"value", "mx" + strconv.Itoa(i) + ".example.net"}, {"priority", strconv.Itoa(i % 100)}}
	default:
		return [][2]string{{"name", "www" + strconv.Itoa(i)}, {"type", "CNAME"}, {"value", "host" + strconv.Itoa(i) + ".example.net"}, {"comment", `"generated"`}}
	}
}

// jsonScalar writes a generated YAML scalar as JSON: quoted unless it is a
// number or a boolean.
func jsonScalar(s string) string {
	if strings.HasPrefix(s, `"`) || s == "true" || s == "false" {
		return s
	}
	if _, err := strconv.Atoi(s); err == nil {
		return s
	}
	return strconv.Quote(s)
}

// WriteLarge writes a valid state of n records (zones of PerZone) in
// style to the file path: the large states of the validation benchmarks.
func WriteLarge(path string, n int, style Style) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	zones := (n + PerZone - 1) / PerZone
	if style == JSON {
		w.WriteString(`{"providers": {"cloudflare": {"api_token": {"env": "CLOUDFLARE_API_TOKEN"}}},` + "\n" + `"zones": [` + "\n")
	} else {
		w.WriteString("providers:\n  cloudflare:\n    api_token: {env: CLOUDFLARE_API_TOKEN}\nzones:\n")
	}
	for z := range zones {
		lo, hi := z*PerZone, min((z+1)*PerZone, n)
		if style == JSON {
			sep := ","
			if z == zones-1 {
				sep = ""
			}
			fmt.Fprintf(w, `{"name": "zone%d.example", "provider": "cloudflare", "records": [`+"\n", z)
			for i := lo; i < hi; i++ {
				w.WriteString("  {")
				for k, kv := range record(i) {
					if k > 0 {
						w.WriteString(", ")
					}
					fmt.Fprintf(w, "%q: %s", kv[0], jsonScalar(kv[1]))
				}
				if i < hi-1 {
					w.WriteString("},\n")
				} else {
					w.WriteString("}\n")
				}
			}
			fmt.Fprintf(w, "]}%s\n", sep)
			continue
		}
		fmt.Fprintf(w, "  - name: zone%d.example\n    provider: cloudflare\n    records:\n", z)
		for i := lo; i < hi; i++ {
			for k, kv := range record(i) {
				switch {
				case style == Flow && k == 0:
					fmt.Fprintf(w, "      - {%s: %s", kv[0], kv[1])
				case style == Flow:
					fmt.Fprintf(w, ", %s: %s", kv[0], kv[1])
				case k == 0:
					fmt.Fprintf(w, "      - %s: %s\n", kv[0], kv[1])
				default:
					fmt.Fprintf(w, "        %s: %s\n", kv[0], kv[1])
				}
			}
			if style == Flow {
				w.WriteString("}\n")
			}
		}
	}
	if style == JSON {
		w.WriteString("]}\n")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
