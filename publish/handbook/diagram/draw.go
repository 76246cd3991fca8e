package diagram

import (
	"errors"

	"github.com/lagrieta/itlag/schema"
)

// Draw returns the architecture diagram of st as a standalone SVG document, its
// captions in lang ("es" or "en"; anything else is an error). Deterministic: the
// same state gives the same bytes (iterate maps in sorted order).
//
// A nil st is an error; a state that declares none of what the diagram
// shows gives a small document saying so.
func Draw(st *schema.State, lang string) ([]byte, error) {
	c, err := captionsFor(lang)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, errors.New("diagram: no state")
	}
	m := build(st, c)
	return render(m, place(m), c.empty), nil
}
