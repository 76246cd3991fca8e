package handbook

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/lagrieta/itlag/ops/backup"
)

// allSections are the handbook's pages besides the index, in order.
var allSections = []string{"architecture", "procedures", "recovery", "emergency", "faq", "contacts"}

// catalogue holds one language's short words: the pages' titles and file
// names, the labels the Go code writes into the model (the long text is
// in the language's templates).
type catalogue struct {
	lang     string
	titles   map[string]string
	files    map[string]string
	words    map[string]string
	weekdays map[string]string
	// runbooks is the directory of the backup jobs' recovery pages.
	runbooks string
}

// catalogues are the languages a handbook is written in.
var catalogues = map[string]catalogue{
	"en": {
		lang: "en",
		titles: map[string]string{"index": "Operations handbook", "architecture": "Architecture and inventory",
			"procedures": "Procedures", "recovery": "Recovery plans", "emergency": "Emergency procedures",
			"faq": "Frequently asked questions", "contacts": "Support contacts"},
		files: map[string]string{"index": "README.md", "architecture": "architecture.md", "diagram": "architecture.svg",
			"procedures": "procedures.md", "recovery": "recovery.md", "emergency": "emergency.md",
			"faq": "faq.md", "contacts": "contacts.md"},
		words: map[string]string{"pending": "pending", "phone": "phone", "email": "e-mail", "account": "account",
			"provider": "provider", "zone": "DNS zone", "records": "records", "domain": "domain", "ddns": "dynamic-DNS host",
			"nas": "NAS", "backup": "backup job", "monitor": "monitor", "subscription": "subscription", "route": "alert route",
			"mailbox": "mailbox", "mailrule": "mail rule", "settings": "settings",
			"area.registrar": "registrar", "area.dns": "DNS", "area.ddns": "dynamic DNS", "area.isp": "internet access",
			"area.nas": "NAS", "area.backup": "backups", "area.mail": "mail", "area.website": "website", "area.other": "other",
			"copies": "%d copies", "one-media": "one media", "no-offsite": "no offsite copy",
			"critical": "critical", "high": "high", "medium": "medium", "low": "low", "yes": "yes", "no": "no"},
		weekdays: map[string]string{"sunday": "Sunday", "monday": "Monday", "tuesday": "Tuesday", "wednesday": "Wednesday",
			"thursday": "Thursday", "friday": "Friday", "saturday": "Saturday"},
		runbooks: "recovery",
	},
	"es": {
		lang: "es",
		titles: map[string]string{"index": "Manual de operaciones", "architecture": "Arquitectura e inventario",
			"procedures": "Procedimientos", "recovery": "Planes de recuperación", "emergency": "Procedimientos de emergencia",
			"faq": "Preguntas frecuentes", "contacts": "Contactos de soporte"},
		files: map[string]string{"index": "README.md", "architecture": "arquitectura.md", "diagram": "arquitectura.svg",
			"procedures": "procedimientos.md", "recovery": "recuperacion.md", "emergency": "emergencias.md",
			"faq": "preguntas-frecuentes.md", "contacts": "contactos.md"},
		words: map[string]string{"pending": "pendiente", "phone": "teléfono", "email": "correo", "account": "cliente",
			"provider": "proveedor", "zone": "zona DNS", "records": "registros", "domain": "dominio", "ddns": "nombre de DNS dinámico",
			"nas": "NAS", "backup": "copia de seguridad", "monitor": "monitor", "subscription": "suscripción", "route": "ruta de alertas",
			"mailbox": "buzón", "mailrule": "regla de correo", "settings": "ajustes",
			"area.registrar": "registrador", "area.dns": "DNS", "area.ddns": "DNS dinámico", "area.isp": "acceso a internet",
			"area.nas": "NAS", "area.backup": "copias de seguridad", "area.mail": "correo", "area.website": "sitio web", "area.other": "otros",
			"copies": "%d copias", "one-media": "un solo tipo de soporte", "no-offsite": "ninguna copia fuera de las instalaciones",
			"critical": "crítica", "high": "alta", "medium": "media", "low": "baja", "yes": "sí", "no": "no"},
		weekdays: map[string]string{"sunday": "domingo", "monday": "lunes", "tuesday": "martes", "wednesday": "miércoles",
			"thursday": "jueves", "friday": "viernes", "saturday": "sábado"},
		runbooks: "recuperacion",
	},
}

// catalogueFor is lang's catalogue.
func catalogueFor(lang string) (catalogue, error) {
	c, ok := catalogues[lang]
	if !ok {
		return catalogue{}, fmt.Errorf("language %q has no catalogue, want es or en", lang)
	}
	return c, nil
}

// word is the label k; a missing one shows as its key (TestCatalogues
// keeps the languages complete).
func (c catalogue) word(k string) string {
	if w, ok := c.words[k]; ok {
		return w
	}
	return k
}

func (c catalogue) weekday(w time.Weekday) string {
	return c.weekdays[strings.ToLower(w.String())]
}

// runbookFile is job's recovery page, relative to the handbook.
func (c catalogue) runbookFile(job string) string {
	return path.Join(c.runbooks, job+".md")
}

// broken says, in c's words, which parts of the 3-2-1 rule r breaks.
func (c catalogue) broken(r backup.Rule321) []string {
	return r.BrokenIn(c.word("copies"), c.word("one-media"), c.word("no-offsite"))
}
