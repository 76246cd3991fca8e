// Package noiptest is a fake of NoIP's dynamic-DNS update service, in the
// manner of net/http/httptest: NewServer starts it on 127.0.0.1 and URL
// returns the base URL to give a client (it stands for
// https://dynupdate.no-ip.com). It also serves IP-echo endpoints (NewEcho)
// for a client's IP sources, and answers DNS look-ups from its registry
// (Resolver), as DNS would once an update has propagated.
//
// It serves GET /nic/update?hostname=h1[,h2…]&myip=IP[&myipv6=IP6] and
// answers text/plain, one line per hostname in request order:
//
//	good IP       the host's address changed (IP: "v4", "v6" or "v4,v6",
//	              as supplied)
//	nochg IP      the host already had that address
//	nohost        the hostname is not in the account (AddHost adds it)
//	badauth       missing or wrong Basic credentials: HTTP 401 and one line
//	badagent      the User-Agent is not "Name/version contact" (NoIP asks for
//	              "Company NameOfProgram/OSVersion-ReleaseVersion
//	              maintainer-contact@example.com"): one line
//	!donator      the request used offline=, a paid-only feature
//
// SetAnswer forces an answer: for one host (that host's line, whatever the
// request), or for the whole account (host ""), which answers a single line
// for the whole request, as account-wide errors (911, badauth, abuse) do.
// Forced answers change nothing.
//
// Choices where NoIP's documentation says nothing: a wrong password is
// answered with HTTP 401 and the body "badauth"; a missing myip takes the
// caller's address; a malformed myip or myipv6 is HTTP 400; a request
// without hostnames is one line "nohost".
//
// Every hostname of every update request is recorded as an Update (with
// its answer and the User-Agent), and Requests counts every request. State
// (hosts and their addresses, forced answers) is saved and restored with
// MarshalState and UnmarshalState, so that a sandbox can persist it.
package noiptest
