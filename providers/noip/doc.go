// Package noip is the itlag provider for NoIP dynamic DNS: it keeps NoIP
// hostnames pointing at the organisation's public address (or at a fixed
// one) through NoIP's update protocol. It is a providers.ResourceProvider
// (target: the NoIP account, "noip"; resources of kind
// providers.KindDDNSHost); it has no providers.DNS capability: it hosts no DNS zones.
//
// # Observing
//
// A host whose desired Content is "" follows the public address. Every
// configured IP source (an IP-echo URL answering the address as text) is
// asked at once; the answers must be public addresses and must agree. A
// source that fails is a low finding; when all fail, ObserveResources
// fails. Sources that disagree are a high finding and hold every host that
// follows the public address: no update is planned on a guess. With
// IPv6Sources the public address is "v4,v6".
//
// What a host points at now (Live) is the address itlag last sent, when
// NoIP accepted it less than Propagation (10 minutes) ago, so that DNS
// caches still answering the old address do not cause a second update;
// otherwise it is what DNS answers (A, plus AAAA when the wanted address
// has IPv6), and Missing when DNS knows no address.
//
// # Updating
//
// ApplyResources sends every host going to the same address in one request,
// GET /nic/update?hostname=h1,h2&myip=v4[&myipv6=v6], with Basic auth and
// the configured User-Agent (NoIP blocks clients without an identifying
// one), through a client that never retries: NoIP treats repeated updates
// as abuse, and the next run sends again whatever is still wrong.
//
// NoIP answers one line per host, in order. good and nochg are success.
// Every other answer stops updates until a human acts, as NoIP requires,
// except 911 (a failure on NoIP's side), which stops them for 30 minutes:
//
//	answer     held                 severity  what to do
//	911        account, 30 minutes  medium    nothing: wait
//	badauth    account              high      check the credentials, clear
//	badagent   account              high      report to itlag's maintainers
//	abuse      account              critical  resolve it at noip.com, clear
//	nohost     the host             high      add the host or fix the state, clear
//	!donator   the host             medium    paid plan needed, clear
//
// An HTTP 401 counts as badauth. NoIP documents abuse as a block of the
// username, so it holds the account, not only the host answered.
//
// # Local state
//
// Holds and the history of answers live in the local database (package
// store): ddns_holds and ddns_updates. They survive restarts, so a 911
// back-off or a badauth hold is honoured by the next run, and by any other
// process using the same database. ClearHolds removes holds (the future
// `itlag ddns clear [host]`); Holds lists them.
//
// Credentials never appear in errors or findings: they name Config.UserRef
// and Config.PassRef instead.
package noip
