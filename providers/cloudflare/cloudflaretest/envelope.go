package cloudflaretest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// apiError is one entry of the envelope's "errors".
type apiError struct {
	Code       int        `json:"code"`
	Message    string     `json:"message"`
	Source     *errSource `json:"source,omitempty"`
	ErrorChain []apiError `json:"error_chain,omitempty"`
}

type errSource struct {
	Pointer string `json:"pointer"`
}

func errf(code int, msg string) apiError { return apiError{Code: code, Message: msg} }

// at returns e pointing at a JSON pointer in the request body.
func (e apiError) at(pointer string) apiError {
	if pointer != "" {
		e.Source = &errSource{Pointer: pointer}
	}
	return e
}

// The error codes; see the package documentation.
const (
	codeValidation   = 1004
	codeNoRoute      = 7000
	codeBadID        = 7003
	codeNotProxiable = 9004
	codeBadA         = 9005
	codeBadAAAA      = 9006
	codeBadTTL       = 9021
	codeBadBody      = 9207
	codeBadHeaders   = 6003
	codeBadAuthFmt   = 6111
	codeAuth         = 10000
	codeInternal     = 10001
	codeRateLimited  = 10100
	codeNoRecord     = 81044
	codeHostExists   = 81053
	codeCNAMEExists  = 81054
	codeIdentical    = 81058
	codeBatchTooBig  = 81059
)

type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

type envelope struct {
	Success    bool        `json:"success"`
	Errors     []apiError  `json:"errors"`
	Messages   []any       `json:"messages"`
	Result     any         `json:"result"`
	ResultInfo *resultInfo `json:"result_info,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, env envelope) {
	if env.Errors == nil {
		env.Errors = []apiError{}
	}
	if env.Messages == nil {
		env.Messages = []any{}
	}
	b, err := json.Marshal(env)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"success":false,"errors":[{"code":10001,"message":"Internal server error"}],"messages":[],"result":null}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func writeOK(w http.ResponseWriter, result any, info *resultInfo) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Result: result, ResultInfo: info})
}

func writeErr(w http.ResponseWriter, status int, errs ...apiError) {
	writeJSON(w, status, envelope{Errors: errs})
}

func notFound(w http.ResponseWriter, path string) {
	writeErr(w, http.StatusNotFound,
		errf(codeBadID, "Could not route to "+path+", perhaps your object identifier is invalid?"),
		errf(codeNoRoute, "No route for that URI"))
}
