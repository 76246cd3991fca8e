// Package nas is the itlag provider for NASes reached over SSH (any Linux
// NAS: Synology DSM, QNAP QTS, TrueNAS SCALE, plain Debian). One Provider
// serves every NAS of a state, each a target named as in the state
// ("office"); it hosts no DNS zones.
//
// ObserveResources dials the NAS once (Config.Dial: remote.DialSSH with the
// pinned host key, or remote.Local for the sandbox), runs the metrics
// script of package metrics in one command and turns it into findings and
// metrics, then reads each managed file once over the same connection.
// ApplyResources dials once too, writes each touched file once
// (atomically, previous version kept as path+remote.PrevSuffix), then runs
// each distinct reload command once.
//
// Resources are whole files (KindFile, named by absolute path) and
// marker-delimited blocks in files (KindBlock, named "path#block"): the
// text between the lines "# BEGIN itlag: <block>" and
// "# END itlag: <block>" (another comment prefix with the "comment"
// attribute). Nothing outside the markers is ever changed. Scheduled tasks
// are a block rendered by package cron; the engine renders the diffs.
//
// No path is read or written through a symbolic link, nor under a
// directory others may write (remote.ErrUnsafePath): such a resource is
// held with a high finding. A live file others may not read is observed
// Sensitive; a sensitive resource's new file is created 0600.
//
// Shell commands (file deletes, owners, reloads) refer to paths as
// "${ITLAG_ROOT}/path", which is empty over SSH and the stand-in root with
// remote.Local.
package nas
