package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/ops/mail/dmarc"
)

// insertReport stores rep and its rows, unless a report with its org and
// report id is stored already (the same report mailed twice).
func insertReport(ctx context.Context, q querier, rep *dmarc.Report) error {
	res, err := q.ExecContext(ctx, `
INSERT INTO dmarc_reports (org, report_id, domain, begin_at, end_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (org, report_id) DO NOTHING`,
		rep.Org, rep.ReportID, rep.Domain, stamp(rep.Begin), stamp(rep.End))
	if err != nil {
		return fmt.Errorf("dmarc report %s %s: %w", rep.Org, rep.ReportID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	for _, r := range rep.Rows {
		if _, err := q.ExecContext(ctx, `
INSERT INTO dmarc_rows (org, report_id, source_ip, count, header_from, disposition, dkim, spf)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			rep.Org, rep.ReportID, r.SourceIP, r.Count, r.HeaderFrom, r.Disposition, r.DKIM, r.SPF); err != nil {
			return fmt.Errorf("dmarc report %s %s: row %s: %w", rep.Org, rep.ReportID, r.SourceIP, err)
		}
	}
	return nil
}

// DMARC sums the rows of the reports whose period ends after since, by
// the report's domain and the row's source IP (sorted so): the messages,
// and those that failed (neither aligned DKIM nor SPF passed, as
// dmarc.Row.Pass).
func (l *Ledger) DMARC(ctx context.Context, since time.Time) ([]SourceSummary, error) {
	rows, err := l.db.QueryContext(ctx, `
SELECT p.domain, r.source_ip, sum(r.count),
       sum(CASE WHEN r.dkim = 'pass' OR r.spf = 'pass' THEN 0 ELSE r.count END)
FROM dmarc_reports p JOIN dmarc_rows r ON r.org = p.org AND r.report_id = p.report_id
WHERE p.end_at > ?
GROUP BY p.domain, r.source_ip
ORDER BY p.domain, r.source_ip`, stamp(since))
	if err != nil {
		return nil, fmt.Errorf("ledger: sum dmarc reports: %w", err)
	}
	defer rows.Close()
	var out []SourceSummary
	for rows.Next() {
		var s SourceSummary
		if err := rows.Scan(&s.Domain, &s.SourceIP, &s.Messages, &s.Failed); err != nil {
			return nil, fmt.Errorf("ledger: sum dmarc reports: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: sum dmarc reports: %w", err)
	}
	return out, nil
}
