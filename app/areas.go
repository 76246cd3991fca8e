package app

import "github.com/lagrieta/itlag/schema"

// declaredAreas are the report areas (reports.Areas) the desired state
// declares something in: an area it leaves out is reported "not
// declared", not "ok". The security checks look at the NASes, the https
// and tls monitors and the declared exposure; "other" always counts.
func declaredAreas(st *schema.State) map[string]bool {
	if st == nil {
		return nil
	}
	return map[string]bool{
		"dns":           len(st.Zones) > 0,
		"domains":       len(st.Domains) > 0,
		"ddns":          len(st.DDNS) > 0,
		"nas":           len(st.NAS) > 0,
		"backups":       len(st.Backups) > 0,
		"subscriptions": len(st.Subscriptions) > 0,
		"monitors":      len(st.Monitors) > 0,
		"security":      len(st.NAS) > 0 || len(st.Monitors) > 0 || st.Exposure != nil,
		"mail":          len(st.Mail) > 0,
		"other":         true,
	}
}
