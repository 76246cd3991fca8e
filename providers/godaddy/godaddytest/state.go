package godaddytest

import (
	"encoding/json"
	"fmt"
)

// state is the persisted world.
type state struct {
	Version int       `json:"version"`
	NextID  int64     `json:"next_id"`
	Domains []*domain `json:"domains"`
}

// MarshalState returns the whole world (domains, their settings and
// records, the domain ID counter) as JSON. Options, mode and counts are not
// part of it.
func (s *Server) MarshalState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := state{Version: 1, NextID: s.nextID, Domains: s.domains}
	if st.Domains == nil {
		st.Domains = []*domain{}
	}
	return json.MarshalIndent(st, "", "  ")
}

// UnmarshalState replaces the whole world with one MarshalState returned.
// On error nothing changes.
func (s *Server) UnmarshalState(b []byte) error {
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("godaddytest: state: %w", err)
	}
	if st.Version != 1 {
		return fmt.Errorf("godaddytest: state: version %d, want 1", st.Version)
	}
	seen := map[string]bool{}
	for i, d := range st.Domains {
		if d == nil || d.Domain == "" || domainName(d.Domain) != d.Domain || seen[d.Domain] {
			return fmt.Errorf("godaddytest: state: domain %d: missing, duplicate or not canonical name", i)
		}
		seen[d.Domain] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID, s.domains = st.NextID, st.Domains
	return nil
}
