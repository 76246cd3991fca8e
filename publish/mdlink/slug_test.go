package mdlink

import (
	"slices"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ heading, want string }{
		{"¿Qué hago si el NAS no responde?", "qué-hago-si-el-nas-no-responde"},
		{"Recuperación: pérdida del NAS", "recuperación-pérdida-del-nas"},
		{"Qué hacer si…", "qué-hacer-si"},
		{"¡Atención! Copia de seguridad (diaria)", "atención-copia-de-seguridad-diaria"},
		{"Año 2026, versión 1.2", "año-2026-versión-12"},
		{"Ñandú ÜBER", "ñandú-über"},
		{"Contactos / soporte", "contactos--soporte"},
		{"Plan – revisión", "plan--revisión"},
		{"Restaure `infra-state/` con `itlag apply`", "restaure-infra-state-con-itlag-apply"},
		{"Vea [el plan](plans.md#saved-plans)", "vea-el-plan"},
		{"3-2-1 rule", "3-2-1-rule"},
		{"Upper CASE Words", "upper-case-words"},
		{"Why `--detailed-exitcode`?", "why---detailed-exitcode"},
		{"snake_case and __init__ and _emphasis_", "snake_case-and-init-and-emphasis"},
		{"`__init__` in code", "__init__-in-code"},
		{`Escaped \_under\_`, "escaped-_under_"},
		{"<kbd>Ctrl</kbd> + C", "ctrl--c"},
		{"Tom &amp; Jerry", "tom--jerry"},
		{"Launch 🚀 day", "launch--day"},
		{"Badge ![status](status.svg) here", "badge--here"},
		{"Привет мир", "привет-мир"},
		{"Que\u0301 (decomposed)", "que\u0301-decomposed"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.heading, func(t *testing.T) {
			if got := Slug(tt.heading); got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.heading, got, tt.want)
			}
		})
	}
}

func TestAnchors(t *testing.T) {
	tests := []struct {
		name, md string
		want     []string
	}{
		{"duplicates numbered", "# Uno\n## Uno\n### Uno\n", []string{"uno", "uno-1", "uno-2"}},
		{"a numbered slug already taken", "# a\n# a-1\n# a\n# a\n", []string{"a", "a-1", "a-2", "a-3"}},
		{"a heading like a number taken", "# a\n# a\n# a-1\n", []string{"a", "a-1", "a-1-1"}},
		{"closing hashes", "## Closed ##\n## C#\n", []string{"closed", "c"}},
		{"not headings", "#hashtag\n####### seven\n    text\n", nil},
		{"setext", "Título largo\ncon dos líneas\n===\n\nOtro\n---\n", []string{"título-largo-con-dos-líneas", "otro"}},
		{"fenced headings ignored", "# Real\n```sh\n# comment\n```\n~~~~\n```\n# still code\n~~~~\n", []string{"real"}},
		{"indented and CRLF", "   # Tres espacios\r\n", []string{"tres-espacios"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for a := range Anchors([]byte(tt.md)) {
				got = append(got, a)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Anchors = %q, want %q", got, want)
			}
		})
	}
}
