// Package alert sends notifications for findings: by e-mail (SMTP) and to
// webhooks, along routes chosen by severity, with deduplication by
// fingerprint, reminders, recoveries and maintenance windows.
//
// # Events
//
// Process takes one run's findings. The state of each fingerprint lives in
// the store's alert_state table (open or resolved) and every attempt to
// notify lives in alerts_sent. For each route whose Severities match a
// finding, and for each of the route's channels (email, webhook), Process
// decides at most one event a run:
//
//   - start: the channel has no successful start or reminder for the
//     problem since it opened. So a new fingerprint gets one start per
//     route and channel; a start that failed (or was held) is tried again,
//     still as "start", on the next run. A problem whose severity rises into
//     a route's Severities gets a start on that route then.
//   - reminder: the route's Repeat (> 0) has passed since the channel's last
//     successful start or reminder.
//   - recovery: the fingerprint is no longer among the findings. The state
//     becomes resolved at once, and each channel that was told of the
//     problem (a successful start or reminder) gets one recovery, whatever
//     the route's Severities. A recovery that fails or is held is tried
//     again on later runs, for RecoveryRetention after the resolution. A
//     channel that was never told gets no recovery.
//
// Nothing else is sent: a run that sees the same open problems as the last
// one sends nothing until a reminder is due. A resolved fingerprint that
// comes back opens anew (new started_at) and gets a new start.
//
// # Maintenance windows
//
// While now is inside one of Notifier.Windows nothing is sent: each event
// that would have been sent is recorded in alerts_sent as held (ok = 0,
// error "held: maintenance window …"), once per run. Because held is not a
// success, the events are sent by the first run after the window if they
// are still due then: a problem still open gets its start (or reminder); a
// problem that opened and resolved inside the window was never told, so it
// gets nothing; a recovery held for a problem told before the window is
// sent after it.
//
// # Failures
//
// A send that fails is recorded with ok = 0 and its error, counted in
// Report.Failed and retried by the next run as above; Process does not
// return it as an error. Process returns an error only for invalid routes
// or windows and for database failures. Sends happen outside any database
// transaction (a transaction holds the store's write lock); the results are
// written in one transaction afterwards. Two Process calls on the same
// database at once may therefore send the same event twice: callers run
// one at a time (the drift run).
//
// # Secrets
//
// Email.Password is resolved by the caller from a credential reference
// (package secret). It is never logged, and errors are scrubbed of it (and
// of its AUTH PLAIN encoding). Credentials are never sent in clear text to
// a host that is not loopback: STARTTLS is used whenever the server offers
// it, and is required when Email.StartTLS is set (which Validate requires
// for a host that is not loopback). Implicit TLS (port 465) is not
// supported. Webhook URLs and header values may carry tokens: errors name
// the webhook by scheme and host only.
//
// # Outbox
//
// With Notifier.Outbox set (the sandbox's DIR/outbox), events are
// decided, recorded and rendered exactly as above but written into that
// directory instead of being sent: one RFC 5322 .eml per e-mail (what
// SMTP would have carried), one .json per webhook call (an OutboxMessage:
// the URL as the Notifier has it, the header names, the payload). Names
// start with the time and a sequence number, so they sort in the order
// written. Nothing is dialled.
package alert
