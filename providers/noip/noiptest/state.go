package noiptest

import (
	"encoding/json"
	"fmt"
	"maps"
)

// state is the persisted world.
type state struct {
	Version int               `json:"version"`
	Hosts   map[string]host   `json:"hosts"`
	Answers map[string]string `json:"answers,omitempty"`
}

// MarshalState returns the account (hosts and their addresses) and the
// forced answers as JSON. Options and counts are not part of it.
func (s *Server) MarshalState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := state{Version: 1, Hosts: map[string]host{}, Answers: maps.Clone(s.answers)}
	for n, h := range s.hosts {
		st.Hosts[n] = *h
	}
	return json.MarshalIndent(st, "", "  ")
}

// UnmarshalState replaces the account and forced answers with those
// MarshalState returned. On error nothing changes.
func (s *Server) UnmarshalState(b []byte) error {
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("noiptest: state: %w", err)
	}
	if st.Version != 1 {
		return fmt.Errorf("noiptest: state: version %d, want 1", st.Version)
	}
	hosts := map[string]*host{}
	for n, h := range st.Hosts {
		ph, err := parseAddress(h.address())
		if err != nil || ph != h {
			return fmt.Errorf("noiptest: state: host %q: bad addresses %q, %q", n, h.IPv4, h.IPv6)
		}
		hosts[n] = &ph
	}
	if st.Answers == nil {
		st.Answers = map[string]string{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hosts, s.answers = hosts, st.Answers
	return nil
}
