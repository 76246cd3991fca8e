package mdlink

import (
	"slices"
	"testing"
)

func TestCode(t *testing.T) {
	md := "# Título `itlag plan`\n\nEjecute `itlag\nvalidate` y ``a ` b``.\n\n" +
		"````md\n```sh\nitlag drift\n```\n````\n\nSin cerrar: `uno\n"
	want := []Snippet{
		{Line: 1, Text: "itlag plan"},
		{Line: 3, Text: "itlag validate"},
		{Line: 4, Text: "a ` b"},
		{Line: 7, Text: "```sh", Fenced: true},
		{Line: 8, Text: "itlag drift", Fenced: true},
		{Line: 9, Text: "```", Fenced: true},
	}
	if got := Code([]byte(md)); !slices.Equal(got, want) {
		t.Errorf("Code =\n%+v\nwant\n%+v", got, want)
	}
}
