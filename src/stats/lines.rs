//! Productivity by service line: the rows of `lines.csv`, the figures
//! benchmark studies of shared-service centres publish (transactions per
//! FTE, utilisation, service level, backlog), so that a user can hold
//! sscsim's centres against them.
//!
//! Every figure is of the horizon's last year, when every move is over (as
//! `centres.csv`), and is a ratio of means over replications: sums are
//! added in replication order, so the figures do not depend on scheduling.

use crate::sim::LineYear;

/// Sums of every strategy's service lines over replications.
#[derive(Clone, Debug, Default)]
pub struct LineCollector {
    /// `[strategy][line]`.
    sums: Vec<Vec<LineYear>>,
    replications: u64,
}

/// A service line of a strategy in the last year, over replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineFigures {
    /// Mean processing and supervision staff, FTE.
    pub fte: f64,
    /// Mean transactions that arrived in the year.
    pub transactions_per_year: f64,
    /// Mean transactions over mean FTE; `None` without staff.
    pub transactions_per_fte_year: Option<f64>,
    /// Transactions completed over transactions the queues could have
    /// completed; `None` without queue capacity (contact lines).
    pub utilisation_share: Option<f64>,
    /// Transactions completed on time (contacts: answered in time) over
    /// those whose outcome is known; `None` when there are none.
    pub service_level: Option<f64>,
    /// Share of the queues' working days that ended with work waiting;
    /// `None` when no queue was live.
    pub backlog_probability: Option<f64>,
    /// Mean work waiting at the end of a working day, transactions, summed
    /// over the line's queues.
    pub mean_backlog_transactions: f64,
    /// Mean wait of the answered calls, seconds (contact lines; `None` for
    /// queue lines, when no call was answered, or when a queue that never
    /// hangs up grew without bound).
    pub average_speed_of_answer_seconds: Option<f64>,
    /// Calls that hung up before an agent answered over calls arrived
    /// (contact lines; `None` for queue lines).
    pub abandon_share: Option<f64>,
}

impl LineCollector {
    /// Records one replication's lines: `[strategy][line]`.
    pub fn observe(&mut self, strategies: &[Vec<LineYear>]) {
        if self.sums.is_empty() {
            self.sums = strategies
                .iter()
                .map(|lines| vec![LineYear::default(); lines.len()])
                .collect();
        }
        for (sums, lines) in self.sums.iter_mut().zip(strategies) {
            for (sum, line) in sums.iter_mut().zip(lines) {
                sum.add(line);
            }
        }
        self.replications += 1;
    }

    /// The figures of line `line` of strategy `strategy`, a year having
    /// `working_days_per_year` working days; `None` for a line the strategy
    /// neither staffs nor receives work in.
    pub fn figures(
        &self,
        strategy: usize,
        line: usize,
        working_days_per_year: f64,
    ) -> Option<LineFigures> {
        let sum = self.sums.get(strategy)?.get(line)?;
        if sum.fte == 0.0 && sum.arrived == 0.0 {
            return None;
        }
        let n = self.replications as f64;
        let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
        let (fte, transactions) = (sum.fte / n, sum.arrived / n);
        let completed = sum.on_time + sum.late;
        Some(LineFigures {
            fte,
            transactions_per_year: transactions,
            transactions_per_fte_year: ratio(transactions, fte),
            utilisation_share: ratio(completed, sum.capacity),
            service_level: ratio(sum.on_time, completed + sum.overdue_at_end),
            backlog_probability: ratio(sum.backlog_days, sum.queue_days),
            mean_backlog_transactions: sum.backlog_transaction_days / (n * working_days_per_year),
            average_speed_of_answer_seconds: ratio(
                sum.answer_wait_seconds,
                sum.calls - sum.abandoned,
            )
            .filter(|s| s.is_finite()),
            abandon_share: ratio(sum.abandoned, sum.calls),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_ratios_of_sums_over_replications() {
        // Two replications of one line: 2 then 4 FTE, 1 000 then 2 000
        // transactions, all completed (900 + 1 900 on time), capacity 1 500
        // then 2 500; 10 days, 2 then 4 ending with work, 30 then 50
        // transaction-days waiting.
        let year = |fte, arrived, on_time, capacity, backlog_days, waiting| LineYear {
            fte,
            arrived,
            on_time,
            late: arrived - on_time,
            capacity,
            queue_days: 10.0,
            backlog_days,
            backlog_transaction_days: waiting,
            ..LineYear::default()
        };
        let mut c = LineCollector::default();
        c.observe(&[vec![year(2.0, 1000.0, 900.0, 1500.0, 2.0, 30.0)]]);
        c.observe(&[vec![year(4.0, 2000.0, 1900.0, 2500.0, 4.0, 50.0)]]);
        let f = c.figures(0, 0, 10.0).unwrap();
        // Means 3 FTE and 1 500 transactions: 500 per FTE-year.
        assert_eq!((f.fte, f.transactions_per_year), (3.0, 1500.0));
        assert_eq!(f.transactions_per_fte_year, Some(500.0));
        // 3 000 completed of 4 000 possible; 2 800 of 3 000 on time.
        assert_eq!(f.utilisation_share, Some(0.75));
        assert_eq!(f.service_level, Some(2800.0 / 3000.0));
        // 6 of 20 days; 80 transaction-days over 2 × 10 days.
        assert_eq!(f.backlog_probability, Some(0.3));
        assert_eq!(f.mean_backlog_transactions, 4.0);
        assert_eq!(
            (f.average_speed_of_answer_seconds, f.abandon_share),
            (None, None)
        );
        assert!(c.figures(0, 1, 10.0).is_none());
    }

    #[test]
    fn contact_figures_are_ratios_of_calls_over_replications() {
        // 1 000 then 3 000 calls; 100 then 300 hung up; answered calls
        // waited 9 000 then 45 000 seconds in all.
        let year = |calls: f64, wait| LineYear {
            fte: 1.0,
            arrived: calls,
            calls,
            abandoned: calls / 10.0,
            answer_wait_seconds: wait,
            ..LineYear::default()
        };
        let mut c = LineCollector::default();
        c.observe(&[vec![year(1000.0, 9000.0)]]);
        c.observe(&[vec![year(3000.0, 45_000.0)]]);
        let f = c.figures(0, 0, 10.0).unwrap();
        // 400 of 4 000 hung up; 54 000 s over the 3 600 answered = 15 s.
        assert_eq!(f.abandon_share, Some(0.1));
        assert_eq!(f.average_speed_of_answer_seconds, Some(15.0));
        // A queue that grew without bound has no finite mean wait.
        c.observe(&[vec![year(1000.0, f64::INFINITY)]]);
        assert_eq!(
            c.figures(0, 0, 10.0)
                .unwrap()
                .average_speed_of_answer_seconds,
            None
        );
    }
}
