package sandbox

import (
	"errors"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/commands"
	"github.com/emersion/go-imap/server"
)

// mailExt is the fake's extension of go-imap's server: UIDPLUS (RFC 4315:
// APPENDUID, COPYUID, UID EXPUNGE), and SELECT and EXAMINE telling the
// folder whether it is read-only (BODY[] sets \Seen only when it is not).
// It must not answer UNSELECT, MOVE or IDLE: server.Enable drops an
// extension that does.
type mailExt struct{}

func (mailExt) Capabilities(server.Conn) []string { return []string{"UIDPLUS"} }

func (mailExt) Command(name string) server.HandlerFactory {
	switch name {
	case "SELECT":
		return func() server.Handler { return &selectCmd{} }
	case "EXAMINE":
		return func() server.Handler {
			h := &selectCmd{}
			h.ReadOnly = true
			return h
		}
	case "APPEND":
		return func() server.Handler { return &appendCmd{} }
	case "COPY":
		return func() server.Handler { return &copyCmd{} }
	case "EXPUNGE":
		return func() server.Handler { return &expungeCmd{} }
	}
	return nil
}

type selectCmd struct{ server.Select }

func (h *selectCmd) Handle(conn server.Conn) error {
	err := h.Select.Handle(conn)
	ctx := conn.Context()
	if f, ok := ctx.Mailbox.(*mailFolder); ok {
		f.readOnly = ctx.MailboxReadOnly
	}
	return err
}

func okCode(code imap.StatusRespCode, info string, args ...any) error {
	return &imap.ErrStatusResp{Resp: &imap.StatusResp{Type: imap.StatusRespOk, Code: code, Arguments: args, Info: info}}
}

// appendCmd is APPEND answered with [APPENDUID uidvalidity uid].
type appendCmd struct{ commands.Append }

func (h *appendCmd) Handle(conn server.Conn) error {
	ctx := conn.Context()
	if ctx.User == nil {
		return server.ErrNotAuthenticated
	}
	mb, err := ctx.User.GetMailbox(h.Mailbox)
	if errors.Is(err, backend.ErrNoSuchMailbox) {
		return &imap.ErrStatusResp{Resp: &imap.StatusResp{Type: imap.StatusRespNo, Code: imap.CodeTryCreate, Info: err.Error()}}
	}
	if err != nil {
		return err
	}
	f, ok := mb.(*mailFolder)
	if !ok {
		return errors.New("not a sandbox folder")
	}
	uid, err := f.append(h.Flags, h.Date, h.Message)
	if err != nil {
		return err
	}
	validity, _, err := f.u.b.store.validityNext(f.name)
	if err != nil {
		return err
	}
	return okCode("APPENDUID", "Append completed.", validity, uid)
}

// copyCmd is COPY and UID COPY answered with [COPYUID uidvalidity src dst].
type copyCmd struct{ commands.Copy }

func (h *copyCmd) Handle(conn server.Conn) error    { return h.handle(false, conn) }
func (h *copyCmd) UidHandle(conn server.Conn) error { return h.handle(true, conn) }

func (h *copyCmd) handle(byUID bool, conn server.Conn) error {
	f, ok := conn.Context().Mailbox.(*mailFolder)
	if !ok {
		return server.ErrNoMailboxSelected
	}
	c, err := f.copyMsgs(byUID, h.SeqSet, h.Mailbox, false)
	if err != nil || len(c.src) == 0 {
		return err
	}
	src, dst := new(imap.SeqSet), new(imap.SeqSet)
	src.AddNum(c.src...)
	dst.AddNum(c.dst...)
	return okCode("COPYUID", "Copy completed.", c.validity, src, dst)
}

// expungeCmd is EXPUNGE, and UID EXPUNGE set: only the messages of set
// flagged \Deleted.
type expungeCmd struct {
	server.Expunge
	uids *imap.SeqSet
}

func (h *expungeCmd) Parse(fields []any) error {
	if len(fields) == 0 {
		return nil
	}
	s, ok := fields[0].(string)
	if !ok {
		return errors.New("UID EXPUNGE: a UID set expected")
	}
	set, err := imap.ParseSeqSet(s)
	if err != nil {
		return err
	}
	h.uids = set
	return nil
}

func (h *expungeCmd) UidHandle(conn server.Conn) error {
	ctx := conn.Context()
	f, ok := ctx.Mailbox.(*mailFolder)
	switch {
	case !ok:
		return server.ErrNoMailboxSelected
	case ctx.MailboxReadOnly:
		return server.ErrMailboxReadOnly
	case h.uids == nil:
		return errors.New("UID EXPUNGE: a UID set expected")
	}
	return f.expunge(h.uids)
}
