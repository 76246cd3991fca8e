package inbox

import (
	"errors"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/commands"
)

// errNoUIDPlus refuses a move on a server without MOVE and UIDPLUS: its
// only fallback would be a plain EXPUNGE, which also removes every other
// message someone marked \Deleted.
var errNoUIDPlus = errors.New("the server offers neither MOVE nor UIDPLUS (UID EXPUNGE): refusing to expunge other messages")

// canMove checks that the server can move messages one UID set at a time.
func (s *session) canMove() error {
	if ok, err := s.c.Support("MOVE"); err != nil || ok {
		return err
	}
	if ok, err := s.c.Support("UIDPLUS"); err != nil || ok {
		return err
	}
	return errNoUIDPlus
}

// move moves the messages uids of the selected folder to dest: UID MOVE,
// or UID COPY, UID STORE +FLAGS.SILENT (\Deleted) and UID EXPUNGE of
// those UIDs only.
func (s *session) move(uids []uint32, dest string) error {
	set := new(imap.SeqSet)
	set.AddNum(uids...)
	if ok, err := s.c.Support("MOVE"); err != nil {
		return err
	} else if ok {
		return s.c.UidMove(set, dest)
	}
	if ok, err := s.c.Support("UIDPLUS"); err != nil {
		return err
	} else if !ok {
		return errNoUIDPlus
	}
	if err := s.c.UidCopy(set, dest); err != nil {
		return err
	}
	if err := s.c.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), []interface{}{imap.DeletedFlag}, nil); err != nil {
		return err
	}
	st, err := s.c.Execute(&commands.Uid{Cmd: &imap.Command{Name: "EXPUNGE", Arguments: []interface{}{set}}}, nil)
	if err != nil {
		return err
	}
	return st.Err()
}
