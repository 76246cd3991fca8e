// Package handbook writes the operations handbook from the desired state:
// an index, the architecture (an SVG diagram from package diagram, and the
// inventory of every declared thing with the file and line it is written
// at), the procedures with their exact commands, the recovery plans (per
// backup job, the runbooks of ops/backup; per loss), the emergency
// procedures per severity (the five steps of the response protocol, the
// escalation order of the state's contacts), a FAQ and the support
// contacts.
//
// Build is a pure function of the state: it reads the state into a Book
// (model.go; the Book's methods are what the templates ask of it), renders
// the templates of the state's language (templates/es, templates/en; the
// short words in catalogue.go), and refuses the result if a relative link
// or anchor does not resolve (package mdlink). No secret is read: the
// pages show credential references only. A fact the operator has not given
// ("pending", "unknown") is shown as such with the field to fill in.
//
// Write puts the files into a directory, rewriting only what changed and
// removing what an earlier run wrote and this one no longer does (the
// directory's Manifest lists them); no other file is touched, and nothing
// is followed through a symlink.
package handbook
