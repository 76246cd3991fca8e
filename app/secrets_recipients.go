package app

import (
	"context"
	"fmt"
	"os"

	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret/agefile"
)

// SecretsRecipients is what "secrets recipients" found and did.
type SecretsRecipients struct {
	// Recipients are the state's secrets.recipients.
	Recipients []string            `json:"recipients"`
	Files      []SecretsFileStatus `json:"files"`
}

// SecretsFileStatus is one secrets file: what its header says, the
// recipients it should be encrypted to and, when it was re-encrypted, the
// change.
type SecretsFileStatus struct {
	File       string   `json:"file"`
	Recipients []string `json:"recipients"`
	// Stanzas is how many recipients the file is encrypted to now (the
	// header does not say which).
	Stanzas int  `json:"stanzas"`
	Armored bool `json:"armored"`
	// Mismatch is true when Stanzas differs from len(Recipients): the file
	// surely needs re-encrypting. The same count may still hide a replaced
	// key, so re-encrypt after every change to the recipients.
	Mismatch bool          `json:"mismatch"`
	Change   *SecretChange `json:"change,omitempty"`
}

// SecretRecipients lists the declared recipients and each secrets file
// (the given ones, else every file the state references or names under
// secrets.files) with what its header says. Files are re-encrypted to the
// declared recipients when rewrite is set, or when they are named: the
// header cannot tell which recipients a file is encrypted to, so itlag
// never guesses that a file is up to date.
func SecretRecipients(ctx context.Context, opts Options, files []string, rewrite bool) (SecretsRecipients, error) {
	var res SecretsRecipients
	if opts.StateDir == "" {
		opts.StateDir = "."
	}
	st, err := secretsState(opts.StateDir)
	if err != nil {
		return res, err
	}
	res.Recipients = st.Secrets.Recipients
	if len(files) > 0 {
		rewrite = true
	} else {
		files = st.AgeFiles()
	}
	dir := opts.StateDir
	for _, f := range files {
		row := SecretsFileStatus{File: f, Recipients: st.Secrets.RecipientsFor(f)}
		info, err := agefile.Inspect(os.DirFS(dir), f)
		if err != nil {
			return res, err
		}
		row.Stanzas, row.Armored = info.Stanzas, info.Armored
		row.Mismatch = info.Stanzas != len(row.Recipients)
		if rewrite {
			ch, err := reencrypt(dir, f, st)
			if err != nil {
				return res, err
			}
			if err := recordSecretChange(ctx, opts, ch); err != nil {
				return res, err
			}
			row.Change = &ch
			row.Stanzas, row.Armored, row.Mismatch = len(ch.Recipients), true, false
		}
		res.Files = append(res.Files, row)
	}
	return res, nil
}

// reencrypt decrypts file and encrypts it again to its declared
// recipients.
func reencrypt(dir, file string, st *schema.State) (SecretChange, error) {
	ch := SecretChange{File: file, Action: "recipients"}
	keys, recips, err := recipientsFor(st, dir, file)
	if err != nil {
		return ch, err
	}
	ch.Recipients = keys
	plain, created, err := openSecrets(dir, file)
	if err != nil {
		return ch, err
	}
	defer clear(plain)
	if created {
		return ch, fmt.Errorf("%s: no such file", file)
	}
	return ch, sealSecrets(dir, &ch, plain, plain, recips, true)
}
