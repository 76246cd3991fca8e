package diagram

import (
	"fmt"
	"strings"
)

// captions are the diagram's words in one language.
type captions struct {
	title, empty                             string
	bandWeb, bandOffice, bandWatch           string
	colDomains, colZones, colWebsite         string
	colDDNS, colNAS, colNASLocal, colJobs    string
	colDests, colMonitors, colRoutes         string
	registrar, manual, dnsAt, follows, fixed string
	ddnsName, local, localLine, ssh          string
	sources, daily, media, pending           string
	onsite, offsite, proxied, monitored      string
	severities, email, webhook, more         string
	records, monitors                        [2]string // singular, plural
	mediaNames, severityNames                map[string]string
	descCounts                               []string // in model order, see describe
}

// captionsFor returns the captions of lang, "es" or "en".
func captionsFor(lang string) (captions, error) {
	switch lang {
	case "es":
		return captions{
			title: "Arquitectura de la infraestructura declarada", empty: "El estado no declara nada que dibujar.",
			bandWeb: "Internet: dominios, DNS y sitio web", bandOffice: "Oficina: NAS y copias de seguridad",
			bandWatch:  "Vigilancia: monitores y alertas",
			colDomains: "Dominios", colZones: "Zonas DNS", colWebsite: "Sitio web",
			colDDNS: "DNS dinámico", colNAS: "NAS", colNASLocal: "NAS y equipo local", colJobs: "Copias de seguridad",
			colDests: "Destinos", colMonitors: "Monitores", colRoutes: "Rutas de alerta",
			registrar: "Registrador: ", manual: "manual (declarado)", dnsAt: "DNS en ",
			follows: "sigue la IP pública", fixed: "dirección fija ", ddnsName: "nombre dinámico de ",
			local: "equipo local", localLine: "donde se ejecuta itlag", ssh: "SSH ",
			sources: "origen: ", daily: "diaria a las ", media: "soporte: ", pending: "pendiente de elegir",
			onsite: "en las instalaciones", offsite: "fuera de las instalaciones", proxied: "con proxy", monitored: "monitor: ",
			severities: "severidad: ", email: "correo: ", webhook: "webhook: ", more: "más",
			records: [2]string{"registro", "registros"}, monitors: [2]string{"monitor", "monitores"},
			mediaNames: map[string]string{"disk": "disco", "usb": "USB", "nas": "NAS", "cloud": "nube",
				"tape": "cinta", "optical": "disco óptico"},
			severityNames: map[string]string{"critical": "crítica", "high": "alta", "medium": "media",
				"low": "baja", "info": "informativa"},
			descCounts: []string{"dominios", "zonas DNS", "nombres de DNS dinámico", "NAS",
				"copias de seguridad", "destinos", "monitores", "rutas de alerta"},
		}, nil
	case "en":
		return captions{
			title: "Architecture of the declared infrastructure", empty: "The state declares nothing to draw.",
			bandWeb: "Internet: domains, DNS and website", bandOffice: "Office: NAS and backups",
			bandWatch:  "Monitoring: monitors and alerts",
			colDomains: "Domains", colZones: "DNS zones", colWebsite: "Website",
			colDDNS: "Dynamic DNS", colNAS: "NAS", colNASLocal: "NAS and local machine", colJobs: "Backup jobs",
			colDests: "Destinations", colMonitors: "Monitors", colRoutes: "Alert routes",
			registrar: "Registrar: ", manual: "manual (declared)", dnsAt: "DNS at ",
			follows: "follows the public IP", fixed: "fixed address ", ddnsName: "dynamic name at ",
			local: "local machine", localLine: "where itlag runs", ssh: "SSH ",
			sources: "source: ", daily: "daily at ", media: "media: ", pending: "not chosen yet",
			onsite: "on-site", offsite: "offsite", proxied: "proxied", monitored: "monitor: ",
			severities: "severity: ", email: "email: ", webhook: "webhook: ", more: "more",
			records: [2]string{"record", "records"}, monitors: [2]string{"monitor", "monitors"},
			mediaNames: map[string]string{"disk": "disk", "usb": "USB", "nas": "NAS", "cloud": "cloud",
				"tape": "tape", "optical": "optical disc"},
			severityNames: map[string]string{"critical": "critical", "high": "high", "medium": "medium",
				"low": "low", "info": "info"},
			descCounts: []string{"domains", "DNS zones", "dynamic DNS names", "NAS",
				"backup jobs", "destinations", "monitors", "alert routes"},
		}, nil
	}
	return captions{}, fmt.Errorf("diagram: language %q: want es or en", lang)
}

// count is "1 record" or "3 records".
func count(n int, forms [2]string) string {
	if n == 1 {
		return "1 " + forms[0]
	}
	return fmt.Sprintf("%d %s", n, forms[1])
}

// provider names a provider as its owner writes it.
func provider(name string) string {
	switch strings.ToLower(name) {
	case "cloudflare":
		return "Cloudflare"
	case "godaddy":
		return "GoDaddy"
	case "noip":
		return "NoIP"
	}
	return name
}

// mediaName is m in words, or m itself when unknown.
func (c captions) mediaName(m string) string {
	if s, ok := c.mediaNames[m]; ok {
		return s
	}
	return m
}

// severityList is the severities in words, comma-separated.
func (c captions) severityList(sev []string) string {
	out := make([]string, len(sev))
	for i, s := range sev {
		out[i] = s
		if w, ok := c.severityNames[s]; ok {
			out[i] = w
		}
	}
	return strings.Join(out, ", ")
}
