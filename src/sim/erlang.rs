//! Erlang formulas for staffing contact centres (service desks).
//!
//! A service desk that answers calls (or chats) as they come is a queue: calls
//! arrive at random, each occupies an agent for a random handle time, and a
//! call that finds every agent busy waits. The classical models assume Poisson
//! arrivals and exponential handle times (and, for Erlang A, exponential
//! patience), which describe inbound contact centres well enough that they are
//! the industry's staffing standard:
//!
//! - **Erlang B** (`M/M/n/n`): a call that finds all agents busy is lost.
//! - **Erlang C** (`M/M/n`): it waits as long as it takes.
//! - **Erlang A** (`M/M/n+M`, "Palm"): it waits, but hangs up after an
//!   exponential patience time; abandoned calls count as not answered.
//!
//! The load is measured in Erlangs, `A = λ·AHT` (arrivals per second times
//! the average handle time in seconds): the number of agents that would be
//! busy on average. A desk needs more than `A` agents, and the extra it needs
//! to answer, say, 80 % of calls within 20 seconds grows only like `√A`
//! (square-root staffing). That is the **pooling gain** behind shared service
//! centres: one desk serving the calls of two needs fewer agents than two
//! separate desks serving half each, because the spare capacity of the
//! pooled desk absorbs the peaks of both, so staff grows less than
//! proportionally with call volume. The formulas here quantify that gain;
//! the tests check one example (16 agents apart, 14 pooled).
//!
//! All functions take plain numbers with units in their names and never
//! panic. Negative or NaN inputs are treated as zero; degenerate cases (zero
//! load, zero or infinite patience) have documented values.

use std::convert::Infallible;
use std::ops::ControlFlow;

/// Seconds in an hour, to turn hourly arrival counts into rates per second.
const SECONDS_PER_HOUR: f64 = 3600.0;

/// Relative size below which a tail of probabilities is dropped: below the
/// resolution of an `f64` sum of order one.
const NEGLIGIBLE: f64 = 1e-16;

/// How many states the Erlang A chain may visit on each side of its most
/// likely state. The distribution spreads over about `√(λ/θ)` states in the
/// queue (arrivals per mean patience) and `√A` among the agents, so
/// realistic desks need a few thousand at most. The cap binds only when one
/// of those exceeds about 10¹² (callers patient for centuries, or loads of
/// 10¹² Erlangs); the result is then computed over the most likely 2 × 2²⁴
/// states only, an approximation, and takes about a second.
const MAX_STATES_EACH_SIDE: u64 = 1 << 24;

/// A most likely queue longer than this (2⁵²) is treated as the fluid limit
/// (see `PalmQueue::beyond_counting`): states that far out cannot be counted
/// one by one in an `f64`.
const BEYOND_COUNTING: f64 = 4_503_599_627_370_496.0;

/// Erlang B: the probability that a call finds all `servers` busy and is lost
/// when `offered_load_erlangs` of traffic is offered to a loss system
/// (`M/M/n/n`; the result holds for any handle-time distribution).
///
/// Uses the recursion `B(0) = 1`, `B(n) = A·B(n−1) / (n + A·B(n−1))`, which
/// never forms the huge powers and factorials of the closed form
/// `(Aⁿ/n!) / Σₖ Aᵏ/k!` and so works for thousands of servers.
///
/// Zero servers lose every call (`1`); zero load loses none (`0` for
/// `servers ≥ 1`).
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::erlang_b;
/// // Two Erlangs offered to three lines: (2³/3!) / (1 + 2 + 2²/2! + 2³/3!) = 4/19.
/// assert!((erlang_b(3, 2.0) - 4.0 / 19.0).abs() < 1e-12);
/// ```
pub fn erlang_b(servers: u32, offered_load_erlangs: f64) -> f64 {
    let load = non_negative(offered_load_erlangs);
    let mut blocking = 1.0;
    for n in 1..=servers {
        blocking = next_erlang_b(blocking, n, load);
        if blocking == 0.0 {
            // It stays zero; stop rather than loop over billions of servers.
            break;
        }
    }
    blocking
}

/// One step of the Erlang B recursion: `B(n)` from `B(n−1)`.
fn next_erlang_b(previous: f64, servers: u32, load_erlangs: f64) -> f64 {
    let carried = load_erlangs * previous;
    carried / (f64::from(servers) + carried)
}

/// Erlang C: the probability that an arriving call has to wait (`M/M/n`),
/// with `servers` agents and `offered_load_erlangs` of traffic.
///
/// Computed from Erlang B as `C = n·B / (n − A·(1 − B))`, which is stable
/// where the textbook closed form overflows. When `A ≥ n` the queue is
/// unstable and every call waits: the result is `1`. With zero load nobody
/// arrives, so nobody waits: the result is `0` (even with zero servers).
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::erlang_c;
/// // 10 Erlangs on 13 agents: 28.5 % of calls wait.
/// assert!((erlang_c(13, 10.0) - 0.285270).abs() < 1e-6);
/// assert_eq!(erlang_c(10, 10.0), 1.0);
/// ```
pub fn erlang_c(servers: u32, offered_load_erlangs: f64) -> f64 {
    let load = non_negative(offered_load_erlangs);
    match stable_queue(servers, load, 0.0, 1.0) {
        Ok(n) => erlang_c_from_b(n, load, erlang_b(servers, load)),
        Err(degenerate) => degenerate,
    }
}

/// The agents of an Erlang C queue, as a float, when calls arrive
/// (`A > 0`) and the queue is stable (`A < n`); otherwise the answer of the
/// degenerate case: `no_load` without calls, `unstable` when `A ≥ n`.
fn stable_queue(servers: u32, load_erlangs: f64, no_load: f64, unstable: f64) -> Result<f64, f64> {
    let n = f64::from(servers);
    if load_erlangs == 0.0 {
        Err(no_load)
    } else if load_erlangs >= n {
        Err(unstable)
    } else {
        Ok(n)
    }
}

/// Erlang C from Erlang B for the same servers and load (`0 < A < n`).
fn erlang_c_from_b(servers: f64, load_erlangs: f64, erlang_b: f64) -> f64 {
    servers * erlang_b / (servers - load_erlangs * (1.0 - erlang_b))
}

/// Share of calls answered within `answer_within_seconds` under Erlang C:
/// `1 − C·exp(−(n − A)·t / AHT)` with `A = λ·AHT`.
///
/// Returns `0` when `A ≥ n` (the queue grows without bound) and `1` when the
/// load is zero (no call is ever late).
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::service_level_c;
/// // 200 calls an hour of 3 minutes each (10 Erlangs) on 14 agents: 88.8 %
/// // answered within 20 seconds.
/// let share = service_level_c(14, 200.0, 180.0, 20.0);
/// assert!((share - 0.888350).abs() < 1e-6);
/// ```
pub fn service_level_c(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    answer_within_seconds: f64,
) -> f64 {
    let load = offered_load_erlangs(arrivals_per_hour, handle_time_seconds);
    match stable_queue(servers, load, 1.0, 0.0) {
        Ok(n) => {
            let waiting = erlang_c(servers, load);
            service_level_from_c(waiting, n, load, handle_time_seconds, answer_within_seconds)
        }
        Err(degenerate) => degenerate,
    }
}

/// `1 − C·exp(−(n − A)·t / AHT)`, for a stable queue with positive load.
fn service_level_from_c(
    erlang_c: f64,
    servers: f64,
    load_erlangs: f64,
    handle_time_seconds: f64,
    answer_within_seconds: f64,
) -> f64 {
    // A waiting call's wait is exponential with rate (n − A)/AHT.
    let t = non_negative(answer_within_seconds);
    1.0 - erlang_c * (-(servers - load_erlangs) * t / handle_time_seconds).exp()
}

/// Average speed of answer under Erlang C: the mean wait of a call before
/// an agent takes it, seconds, `C·AHT / (n − A)` (every call is answered,
/// those finding a free agent after no wait). A waiting call's wait is
/// exponential with rate `(n − A)/AHT`, so the mean over all calls is the
/// waiting probability over that rate.
///
/// Zero load waits `0`; `A ≥ n` (a queue that grows without bound) waits
/// for ever (`f64::INFINITY`).
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::{average_speed_of_answer_c, erlang_c};
/// // 10 Erlangs on 13 agents: 28.5 % of calls wait, on average 180/3 = 60 s.
/// let asa = average_speed_of_answer_c(13, 200.0, 180.0);
/// assert!((asa - erlang_c(13, 10.0) * 60.0).abs() < 1e-9);
/// ```
pub fn average_speed_of_answer_c(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
) -> f64 {
    let load = offered_load_erlangs(arrivals_per_hour, handle_time_seconds);
    match stable_queue(servers, load, 0.0, f64::INFINITY) {
        Ok(n) => erlang_c(servers, load) * handle_time_seconds / (n - load),
        Err(degenerate) => degenerate,
    }
}

/// The smallest number of agents whose Erlang C service level (share of
/// calls answered within `answer_within_seconds`) is at least `target_share`.
///
/// Starts at the first `n` above the load (fewer agents answer nobody in
/// time) and counts up, stepping Erlang B along so each step costs `O(1)`.
/// Zero load, or a target of zero or less, needs `0` agents. The search stops
/// at `A + 10·√A + 100` agents, where fewer than 10⁻²⁰ of calls wait, so any
/// target up to 1 is met before; an unreachable target (above 1) returns that
/// cap. Loads too large for a `u32` of agents return `u32::MAX`.
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::agents_for_service_level_c;
/// // 200 calls an hour, 3 minutes each, 80 % answered within 20 seconds.
/// assert_eq!(agents_for_service_level_c(200.0, 180.0, 20.0, 0.8), 14);
/// ```
pub fn agents_for_service_level_c(
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    answer_within_seconds: f64,
    target_share: f64,
) -> u32 {
    let count_up = |load: f64, cap: u32| {
        // `load < cap ≤ u32::MAX`, so this is the smallest n with n > A.
        let first = load.floor() as u32 + 1;
        let mut blocking = erlang_b(first - 1, load);
        for servers in first..=cap {
            blocking = next_erlang_b(blocking, servers, load);
            let n = f64::from(servers);
            let waiting = erlang_c_from_b(n, load, blocking);
            let share =
                service_level_from_c(waiting, n, load, handle_time_seconds, answer_within_seconds);
            if share >= target_share {
                return servers;
            }
        }
        cap
    };
    staffing_search(
        arrivals_per_hour,
        handle_time_seconds,
        target_share,
        count_up,
    )
}

/// The answer of a staffing search: `search(load, cap)` with the offered
/// load and the search's cap, unless it is known without a search: no
/// agents for no calls or no target, `u32::MAX` for a load beyond the cap.
fn staffing_search(
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    target_share: f64,
    search: impl FnOnce(f64, u32) -> u32,
) -> u32 {
    let load = offered_load_erlangs(arrivals_per_hour, handle_time_seconds);
    if load == 0.0 || non_negative(target_share) == 0.0 {
        return 0;
    }
    agent_search_cap(load).map_or(u32::MAX, |cap| search(load, cap))
}

/// The largest number of agents a staffing search tries: `A + 10·√A + 100`,
/// ten standard deviations of the load plus a margin for small desks. `None`
/// when that does not fit in a `u32`.
fn agent_search_cap(load_erlangs: f64) -> Option<u32> {
    let cap = (load_erlangs + 10.0 * load_erlangs.sqrt() + 100.0).ceil();
    (cap < f64::from(u32::MAX)).then_some(cap as u32)
}

/// Share of arriving calls that abandon under Erlang A (`M/M/n+M`): calls
/// wait for one of `servers` agents but hang up after an exponential patience
/// of mean `patience_seconds`.
///
/// By PASTA an arrival sees the stationary number in system, so the share is
/// `Σ_k p(k)·P(abandon | k on arrival)`, where an arrival with `j = k − n`
/// calls ahead abandons with probability `(j+1)θ / (nμ + (j+1)θ)` (it and
/// the `j` ahead of it leave at rate `θ` each, against service at `nμ`), and
/// the stationary `p` is computed as described at [`service_level_a`]. This
/// equals `θ·E[queue] / λ`, but weights every state by a probability, so it
/// stays accurate when impatience is so high that the rare queued states
/// dropped as negligible would be multiplied by a huge `θ`.
///
/// Degenerate cases: zero load gives `0`; zero patience means every call that
/// finds all agents busy hangs up at once, which is Erlang B; infinite
/// patience means nobody hangs up (`0`, even for an unstable queue).
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::{abandonment_share_a, erlang_b};
/// // Callers who will not wait at all are lost as in Erlang B.
/// let lost = abandonment_share_a(12, 200.0, 180.0, 0.0);
/// assert!((lost - erlang_b(12, 10.0)).abs() < 1e-12);
/// ```
pub fn abandonment_share_a(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    patience_seconds: f64,
) -> f64 {
    PalmMeasure::AbandonmentShare.of(
        servers,
        arrivals_per_hour,
        handle_time_seconds,
        patience_seconds,
    )
}

/// Average speed of answer under Erlang A (`M/M/n+M`): the mean wait of
/// the calls that reach an agent, seconds (calls that hang up are counted
/// in [`abandonment_share_a`], not here).
///
/// A call that finds `j` calls waiting waits through `j + 1` phases, phase
/// `i` (`i` calls still ahead) ending at rate `nμ + (i+1)θ`; it moves on
/// unless its own patience ran out, so it is answered with probability
/// `nμ / (nμ + (j+1)θ)`, and the phases' lengths do not depend on how each
/// ended (competing exponentials), so its expected wait when answered is
/// `Σ_{i=0..j} 1/(nμ + (i+1)θ)`. The stationary distribution weights the
/// states as in [`service_level_a`].
///
/// Degenerate cases: zero load or zero patience wait `0` (callers are
/// answered at once or not at all); infinite patience is Erlang C
/// ([`average_speed_of_answer_c`]); no call answered at all gives `0`.
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::{average_speed_of_answer_a, average_speed_of_answer_c};
/// // Impatient callers leave the queue, so those answered wait less.
/// let a = average_speed_of_answer_a(11, 200.0, 180.0, 120.0);
/// let c = average_speed_of_answer_c(11, 200.0, 180.0);
/// assert!(a > 0.0 && a < c);
/// ```
pub fn average_speed_of_answer_a(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    patience_seconds: f64,
) -> f64 {
    PalmMeasure::AnsweredWaitSeconds.of(
        servers,
        arrivals_per_hour,
        handle_time_seconds,
        patience_seconds,
    )
}

/// Share of all arriving calls answered within `answer_within_seconds` under
/// Erlang A (`M/M/n+M`); calls that abandon count as not answered.
///
/// The number of calls in the system is a birth–death chain with birth rate
/// `λ` and death rate `μ·min(k, n) + θ·max(0, k − n)` (`μ = 1/AHT`,
/// `θ = 1/patience`). Its stationary distribution is computed by walking out
/// from the most likely state, where probabilities are largest, so the
/// unnormalised weights stay at most about one and can neither overflow nor
/// lose the bulk to underflow, however large the load. The walk stops on each
/// side once a geometric bound on everything beyond is below 10⁻¹⁶ of the
/// mass so far (the ratios of successive probabilities only shrink going
/// outwards, so the bound holds), and the weights are normalised by their
/// sum.
///
/// An arrival that finds a free agent is answered at once. One that finds
/// `j ≥ 0` calls waiting reaches an agent after the time `S`, a sum of
/// exponential phases with rates `n·μ + i·θ` for `i = j, …, 0`, while its own
/// patience runs out at rate `θ`. It is answered in time with probability
/// `P(S ≤ t, S ≤ patience) = E[e^{−θS}; S ≤ t]`. Because the phase rates are
/// evenly spaced, `e^{−θS}` is Beta(`m`, `j+1`) distributed with
/// `m = nμ/θ`, which gives the exact and stable form
///
/// `m/(m + j + 1) · P(N ≥ j + 1)`, with `N` negative binomial: the number
/// of failures before success number `m + 1`, each trial succeeding with
/// probability `e^{−θt}` (the first factor is the chance of outlasting the
/// wait at all, the second that of doing so within `t`),
///
/// a sum of positive terms accumulated in log space (no alternating
/// partial-fraction sums, which cancel catastrophically for large `j`).
///
/// Degenerate cases: zero load gives `1`; zero patience is Erlang B
/// (`1 − B`: answered at once or lost); infinite patience is Erlang C
/// ([`service_level_c`]).
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::{service_level_a, service_level_c};
/// // Near-infinite patience is Erlang C.
/// let a = service_level_a(13, 200.0, 180.0, 1e9, 20.0);
/// let c = service_level_c(13, 200.0, 180.0, 20.0);
/// assert!((a - c).abs() < 1e-6);
/// ```
pub fn service_level_a(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    patience_seconds: f64,
    answer_within_seconds: f64,
) -> f64 {
    let within_seconds = non_negative(answer_within_seconds);
    PalmMeasure::AnsweredWithinShare(within_seconds).of(
        servers,
        arrivals_per_hour,
        handle_time_seconds,
        patience_seconds,
    )
}

/// Erlang A's three measures of one desk in one hour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErlangA {
    /// [`abandonment_share_a`].
    pub abandonment_share: f64,
    /// [`average_speed_of_answer_a`], seconds.
    pub answered_wait_seconds: f64,
    /// [`service_level_a`].
    pub answered_within_share: f64,
}

/// [`abandonment_share_a`], [`average_speed_of_answer_a`] and
/// [`service_level_a`] of one desk, each the same to the bit, from one walk
/// over the queue's states instead of three: the abandonments and the
/// waits are summed in the walk that sums the share answered in time, and
/// do not depend on the answer target.
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::{
///     abandonment_share_a, average_speed_of_answer_a, measures_a, service_level_a,
/// };
/// let desk = measures_a(8, 150.0, 180.0, 120.0, 20.0);
/// assert_eq!(desk.abandonment_share, abandonment_share_a(8, 150.0, 180.0, 120.0));
/// assert_eq!(desk.answered_wait_seconds, average_speed_of_answer_a(8, 150.0, 180.0, 120.0));
/// assert_eq!(desk.answered_within_share, service_level_a(8, 150.0, 180.0, 120.0, 20.0));
/// ```
pub fn measures_a(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    patience_seconds: f64,
    answer_within_seconds: f64,
) -> ErlangA {
    let within_seconds = non_negative(answer_within_seconds);
    let model = PalmModel::new(
        servers,
        arrivals_per_hour,
        handle_time_seconds,
        patience_seconds,
    );
    if let PalmModel::Queue(queue) = model {
        let measures = queue.measures(within_seconds);
        return ErlangA {
            abandonment_share: measures.abandonment_share,
            answered_wait_seconds: measures.answered_wait_seconds,
            answered_within_share: measures.answered_within_share,
        };
    }
    // The degenerate cases: each measure's own closed form.
    let of = |measure: PalmMeasure| {
        measure.of(
            servers,
            arrivals_per_hour,
            handle_time_seconds,
            patience_seconds,
        )
    };
    ErlangA {
        abandonment_share: of(PalmMeasure::AbandonmentShare),
        answered_wait_seconds: of(PalmMeasure::AnsweredWaitSeconds),
        answered_within_share: of(PalmMeasure::AnsweredWithinShare(within_seconds)),
    }
}

/// The smallest number of agents whose Erlang A service level (share of all
/// calls answered within `answer_within_seconds`, abandoned calls counting as
/// not answered) is at least `target_share`.
///
/// The share answered can be no larger than the share of calls the agents
/// have capacity for, `n/A`, so the search starts at `⌊target·A⌋`; it then
/// bisects up to Erlang C's answer when that meets the target, else up to
/// the same cap as [`agents_for_service_level_c`] (`A + 10·√A + 100`,
/// returned when the target is above 1). Bisection relies
/// on the service level rising with the number of agents, which holds
/// because an extra agent can only shorten every caller's wait (a standard
/// coupling argument); the tests check the result is the minimum. Zero load, or
/// a target of zero or less, needs `0` agents; loads too large for a `u32`
/// of agents return `u32::MAX`.
///
/// # Examples
/// ```
/// use sscsim::sim::erlang::{agents_for_service_level_a, service_level_a};
/// let n = agents_for_service_level_a(200.0, 180.0, 120.0, 20.0, 0.8);
/// assert!(service_level_a(n, 200.0, 180.0, 120.0, 20.0) >= 0.8);
/// assert!(service_level_a(n - 1, 200.0, 180.0, 120.0, 20.0) < 0.8);
/// ```
pub fn agents_for_service_level_a(
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    patience_seconds: f64,
    answer_within_seconds: f64,
    target_share: f64,
) -> u32 {
    let bisect = |load: f64, cap: u32| {
        let meets = |servers: u32| {
            meets_service_level_a(
                servers,
                arrivals_per_hour,
                handle_time_seconds,
                patience_seconds,
                answer_within_seconds,
                target_share,
            )
        };
        // Invariant: every n < low fails; `high` meets the target or is the cap.
        let mut low = (target_share.min(1.0) * load).floor() as u32;
        // Erlang C's answer, a few agents above the solution when callers are
        // impatient, narrows the bisection when it meets the target.
        let patient = agents_for_service_level_c(
            arrivals_per_hour,
            handle_time_seconds,
            answer_within_seconds,
            target_share,
        );
        let mut high = if patient < cap && meets(patient) {
            patient
        } else {
            cap
        };
        while low < high {
            let middle = low + (high - low) / 2;
            if meets(middle) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        high
    };
    staffing_search(arrivals_per_hour, handle_time_seconds, target_share, bisect)
}

/// Whether `servers` agents meet the target: `service_level_a(…) >=
/// target_share`, the same answer for every input, found sooner. The walk
/// over the queue's states stops once the states not yet walked cannot
/// change the answer ([`PalmQueue::meets`]); the staffing search asks this
/// of four or five desks for each hour it staffs, and most answers are
/// clear well before the walk's end.
fn meets_service_level_a(
    servers: u32,
    arrivals_per_hour: f64,
    handle_time_seconds: f64,
    patience_seconds: f64,
    answer_within_seconds: f64,
    target_share: f64,
) -> bool {
    let model = PalmModel::new(
        servers,
        arrivals_per_hour,
        handle_time_seconds,
        patience_seconds,
    );
    match model {
        PalmModel::Queue(queue) => queue.meets(non_negative(answer_within_seconds), target_share),
        _ => {
            let share = service_level_a(
                servers,
                arrivals_per_hour,
                handle_time_seconds,
                patience_seconds,
                answer_within_seconds,
            );
            share >= target_share
        }
    }
}

/// `A = λ·AHT` in Erlangs, from arrivals per hour and seconds per call;
/// zero for negative, NaN or meaningless (`∞·0`) inputs.
fn offered_load_erlangs(arrivals_per_hour: f64, handle_time_seconds: f64) -> f64 {
    non_negative(
        non_negative(arrivals_per_hour) / SECONDS_PER_HOUR * non_negative(handle_time_seconds),
    )
}

/// `x` when positive, else zero (also for NaN).
fn non_negative(x: f64) -> f64 {
    if x > 0.0 { x } else { 0.0 }
}

/// Erlang A inputs, sorted into the degenerate cases and the general queue.
enum PalmModel {
    /// No calls, or calls that take no time.
    NoLoad,
    /// Callers hang up at once when no agent is free: Erlang B.
    NoPatience { load_erlangs: f64 },
    /// Callers never hang up: Erlang C.
    InfinitePatience,
    /// The general case, with positive finite rates.
    Queue(PalmQueue),
}

impl PalmModel {
    fn new(
        servers: u32,
        arrivals_per_hour: f64,
        handle_time_seconds: f64,
        patience_seconds: f64,
    ) -> Self {
        let load_erlangs = offered_load_erlangs(arrivals_per_hour, handle_time_seconds);
        if load_erlangs == 0.0 {
            return PalmModel::NoLoad;
        }
        let abandon_rate = 1.0 / non_negative(patience_seconds);
        if abandon_rate.is_infinite() {
            return PalmModel::NoPatience { load_erlangs };
        }
        if abandon_rate == 0.0 {
            return PalmModel::InfinitePatience;
        }
        PalmModel::Queue(PalmQueue {
            servers: u64::from(servers),
            arrival_rate: arrivals_per_hour / SECONDS_PER_HOUR,
            service_rate: 1.0 / handle_time_seconds,
            abandon_rate,
        })
    }
}

/// The measure an Erlang A function reports; each is worked out by
/// [`PalmMeasure::of`], which holds the degenerate cases of all three.
#[derive(Clone, Copy)]
enum PalmMeasure {
    /// Share of arriving calls that hang up.
    AbandonmentShare,
    /// Mean wait of the calls answered, seconds.
    AnsweredWaitSeconds,
    /// Share of arriving calls answered within the seconds held (at least 0).
    AnsweredWithinShare(f64),
}

impl PalmMeasure {
    /// This measure for a desk of `servers` agents: the Erlang A inputs are
    /// sorted once into their cases, the degenerate ones answered by Erlang
    /// B or C (see each public function's documentation), the general queue
    /// by its stationary distribution.
    fn of(
        self,
        servers: u32,
        arrivals_per_hour: f64,
        handle_time_seconds: f64,
        patience_seconds: f64,
    ) -> f64 {
        let model = PalmModel::new(
            servers,
            arrivals_per_hour,
            handle_time_seconds,
            patience_seconds,
        );
        match (self, model) {
            (_, PalmModel::Queue(queue)) => self.pick(queue.measures(self.within_seconds())),
            (Self::AbandonmentShare, PalmModel::NoPatience { load_erlangs }) => {
                erlang_b(servers, load_erlangs)
            }
            (Self::AnsweredWithinShare(_), PalmModel::NoPatience { load_erlangs }) => {
                1.0 - erlang_b(servers, load_erlangs)
            }
            (Self::AnsweredWaitSeconds, PalmModel::InfinitePatience) => {
                average_speed_of_answer_c(servers, arrivals_per_hour, handle_time_seconds)
            }
            (Self::AnsweredWithinShare(within), PalmModel::InfinitePatience) => {
                service_level_c(servers, arrivals_per_hour, handle_time_seconds, within)
            }
            (Self::AnsweredWithinShare(_), PalmModel::NoLoad) => 1.0,
            // Nobody hangs up without calls or with infinite patience, and
            // nobody waits without calls or with zero patience.
            (Self::AbandonmentShare, PalmModel::NoLoad | PalmModel::InfinitePatience)
            | (Self::AnsweredWaitSeconds, PalmModel::NoLoad | PalmModel::NoPatience { .. }) => 0.0,
        }
    }

    /// The answer target the queue's measures are computed for: none is
    /// needed for abandonment and waits, which do not depend on it.
    fn within_seconds(self) -> f64 {
        match self {
            Self::AnsweredWithinShare(within) => within,
            Self::AbandonmentShare | Self::AnsweredWaitSeconds => 0.0,
        }
    }

    /// This measure among a queue's measures.
    fn pick(self, measures: PalmMeasures) -> f64 {
        match self {
            Self::AbandonmentShare => measures.abandonment_share,
            Self::AnsweredWaitSeconds => measures.answered_wait_seconds,
            Self::AnsweredWithinShare(_) => measures.answered_within_share,
        }
    }
}

/// The `M/M/n+M` queue with positive finite rates, all per second.
struct PalmQueue {
    servers: u64,
    arrival_rate: f64,
    service_rate: f64,
    abandon_rate: f64,
}

/// What the Erlang A functions report.
struct PalmMeasures {
    abandonment_share: f64,
    answered_within_share: f64,
    /// Mean wait of the calls answered, seconds (`0` when none are).
    answered_wait_seconds: f64,
}

/// The states of the chain that carry its probability: `low..=high`, the
/// weight of `low` relative to the most likely state (as a logarithm), and
/// the weights' sum (relative to the most likely state's, summed as the
/// window was found: the walk's own sum agrees to far better than
/// [`EARLY_ANSWER_MARGIN`]).
struct StateWindow {
    low: u64,
    weight_low: f64,
    ln_weight_low: f64,
    high: u64,
    total: f64,
}

impl StateWindow {
    /// Whether the window is narrow enough for an answer before the exact
    /// walk's end, by an estimate or a walk stopped early
    /// ([`EARLY_ANSWER_MAX_STATES`]).
    fn may_answer_early(&self) -> bool {
        self.high - self.low < EARLY_ANSWER_MAX_STATES
    }
}

/// Where a walk over a window's states has got to, for deciding early.
struct WalkSoFar {
    /// The weights walked.
    total: f64,
    /// The weights walked times the share of each state's callers answered
    /// in time.
    answered_in_time: f64,
    /// The most any state not yet walked answers in time: 1 while the walk
    /// is below the agents, then the last state's share (the shares fall
    /// as the queue grows).
    share_bound: f64,
}

/// The relative margin by which an answer decided before the end of a walk
/// must be clear: far above the rounding by which the walk's sums can
/// differ from the window's (below 10⁻⁹ over [`EARLY_ANSWER_MAX_STATES`]
/// states), so the early answer is the full walk's.
const EARLY_ANSWER_MARGIN: f64 = 1e-6;

/// The widest window on which a walk may stop early; wider ones (desks of
/// thousands of agents or callers patient for years) walk to the end.
const EARLY_ANSWER_MAX_STATES: u64 = 100_000;

/// How far from the target a share estimated by products
/// ([`PalmQueue::share_estimate`]) must be to answer the staffing search:
/// the estimate and the exact walk each differ from the true share by the
/// rounding of their sums and products, below 10⁻⁹ over
/// [`EARLY_ANSWER_MAX_STATES`] states, so an estimate this far from the
/// target is on the exact share's side of it.
const ESTIMATE_MARGIN: f64 = 1e-7;

impl PalmQueue {
    /// Total rate at which calls leave with `calls` in the system: served by
    /// the busy agents, or abandoning from the queue.
    fn departure_rate(&self, calls: u64) -> f64 {
        let busy = calls.min(self.servers) as f64;
        let waiting = calls.saturating_sub(self.servers) as f64;
        busy * self.service_rate + waiting * self.abandon_rate
    }

    /// The most likely number of calls in the system: the largest `k` whose
    /// departure rate does not exceed the arrival rate.
    fn mode(&self) -> u64 {
        let n = self.servers as f64;
        let capacity = n * self.service_rate;
        let calls = if self.arrival_rate <= capacity {
            (self.arrival_rate / self.service_rate).floor()
        } else {
            n + ((self.arrival_rate - capacity) / self.abandon_rate).floor()
        };
        // At most n + 2⁵² (see `beyond_counting`), so exact and far from
        // u64 overflow.
        calls as u64
    }

    /// Walks down, then up, from the mode until the rest of the distribution
    /// is negligible (see [`service_level_a`] for the rule). The logarithm
    /// of the lowest state's weight, which the exact walk starts from, is
    /// summed only `with_logarithm` (an estimate starts from the weight).
    fn window(&self, with_logarithm: bool) -> StateWindow {
        let mode = self.mode();
        let mut total = 1.0;
        let (mut low, mut weight, mut ln_weight_low) = (mode, 1.0, 0.0);
        for _ in 0..MAX_STATES_EACH_SIDE {
            if low == 0 {
                break;
            }
            // p(k−1)/p(k); it only shrinks as k falls.
            let ratio = self.departure_rate(low) / self.arrival_rate;
            if is_negligible_tail(weight, ratio, total) {
                break;
            }
            weight *= ratio;
            if with_logarithm {
                ln_weight_low += ratio.ln();
            }
            total += weight;
            low -= 1;
        }
        let weight_low = weight;
        let (mut high, mut weight) = (mode, 1.0);
        for _ in 0..MAX_STATES_EACH_SIDE {
            // p(k+1)/p(k); it only shrinks as k grows.
            let ratio = self.arrival_rate / self.departure_rate(high + 1);
            if is_negligible_tail(weight, ratio, total) {
                break;
            }
            weight *= ratio;
            total += weight;
            high += 1;
        }
        StateWindow {
            low,
            weight_low,
            ln_weight_low,
            high,
            total,
        }
    }

    /// Abandonment share and share answered within `answer_within_seconds`,
    /// from one upward pass over the window, in log space.
    fn measures(&self, answer_within_seconds: f64) -> PalmMeasures {
        if let Some(measures) = self.beyond_counting() {
            return measures;
        }
        match self.walk(&self.window(true), answer_within_seconds, |_| {
            None::<Infallible>
        }) {
            ControlFlow::Continue(measures) => measures,
            ControlFlow::Break(never) => match never {},
        }
    }

    /// Whether the share answered within `answer_within_seconds` is at
    /// least `target_share`: `measures(…).answered_within_share >=
    /// target_share`, the same answer, from the same walk stopped as soon as
    /// the answer is clear by [`EARLY_ANSWER_MARGIN`] whatever the states
    /// not yet walked hold. The walk's sums only grow, so what it has summed
    /// bounds the end's from below; the states left weigh the window's total
    /// less what is walked, each answering at most the share bound.
    fn meets(&self, answer_within_seconds: f64, target_share: f64) -> bool {
        if let Some(measures) = self.beyond_counting() {
            return measures.answered_within_share >= target_share;
        }
        if let Some(estimate) = self.share_estimate(answer_within_seconds) {
            if estimate >= target_share + ESTIMATE_MARGIN {
                return true;
            }
            if estimate < target_share - ESTIMATE_MARGIN {
                return false;
            }
        }
        let window = self.window(true);
        let may_stop = window.may_answer_early();
        let total = window.total;
        let clear = |so_far: &WalkSoFar| {
            let most_left = (total * (1.0 + EARLY_ANSWER_MARGIN) - so_far.total).max(0.0);
            if !may_stop {
                None
            } else if so_far.answered_in_time >= target_share * total * (1.0 + EARLY_ANSWER_MARGIN)
            {
                Some(true)
            } else if so_far.answered_in_time + most_left * so_far.share_bound
                < target_share * total * (1.0 - EARLY_ANSWER_MARGIN)
            {
                Some(false)
            } else {
                None
            }
        };
        match self.walk(&window, answer_within_seconds, clear) {
            ControlFlow::Continue(measures) => measures.answered_within_share >= target_share,
            ControlFlow::Break(meets) => meets,
        }
    }

    /// The share answered within `answer_within_seconds`, estimated in one
    /// pass of products where the exact walk takes a logarithm and an
    /// exponential a state: within [`ESTIMATE_MARGIN`] of the share of
    /// [`PalmQueue::measures`], or `None` where that is not assured (a
    /// window of [`EARLY_ANSWER_MAX_STATES`] states or more, or an answered
    /// in time series whose first term is too small for products).
    fn share_estimate(&self, answer_within_seconds: f64) -> Option<f64> {
        let window = self.window(false);
        if !window.may_answer_early() {
            return None;
        }
        let mut answered = AnsweredWithin::<false>::new(self, answer_within_seconds)?;
        answered.skip(window.low.saturating_sub(self.servers));
        let (mut weight, mut total, mut in_time) = (window.weight_low, 0.0, 0.0);
        for calls in window.low..=window.high {
            total += weight;
            in_time += weight
                * if calls < self.servers {
                    1.0
                } else {
                    answered.next_share()
                };
            weight *= self.arrival_rate / self.departure_rate(calls + 1);
        }
        Some(in_time / total)
    }

    /// The walk of [`PalmQueue::measures`] over `window`, asking `decide`
    /// after each state whether to stop with an answer.
    fn walk<T>(
        &self,
        window: &StateWindow,
        answer_within_seconds: f64,
        mut decide: impl FnMut(&WalkSoFar) -> Option<T>,
    ) -> ControlFlow<T, PalmMeasures> {
        let mut answered = AnsweredWithin::<true>::new(self, answer_within_seconds)
            .expect("the series in logarithms takes every first term");
        let skipped = window.low.saturating_sub(self.servers);
        answered.skip(skipped);
        // The expected wait of an answered call with `ahead` calls waiting:
        // the phases' mean lengths up to this one.
        let mut answered_wait = self.phase_lengths_seconds(skipped);
        let (mut total, mut at_once, mut in_time, mut abandoned) = (0.0, 0.0, 0.0, 0.0);
        let mut wait_of_answered = 0.0;
        let mut ln_weight = window.ln_weight_low;
        for calls in window.low..=window.high {
            let weight = ln_weight.exp();
            total += weight;
            let share_bound = if calls < self.servers {
                at_once += weight;
                1.0
            } else {
                let ahead = (calls - self.servers) as f64;
                let lost = self.abandon_probability(ahead);
                answered_wait += 1.0 / self.phase_rate(ahead);
                abandoned += weight * lost;
                wait_of_answered += weight * (1.0 - lost) * answered_wait;
                let share = answered.next_share();
                in_time += weight * share;
                share
            };
            let so_far = WalkSoFar {
                total,
                answered_in_time: at_once + in_time,
                share_bound,
            };
            if let Some(answer) = decide(&so_far) {
                return ControlFlow::Break(answer);
            }
            ln_weight += (self.arrival_rate / self.departure_rate(calls + 1)).ln();
        }
        let answered_weight = total - abandoned;
        ControlFlow::Continue(PalmMeasures {
            // Rounding can push a sum of shares a hair above one.
            abandonment_share: (abandoned / total).min(1.0),
            answered_within_share: ((at_once + in_time) / total).min(1.0),
            answered_wait_seconds: if answered_weight > 0.0 {
                wait_of_answered / answered_weight
            } else {
                0.0
            },
        })
    }

    /// The rate at which the phase of a waiting call with `ahead` calls
    /// before it ends: an agent frees up, one ahead hangs up, or it does.
    fn phase_rate(&self, ahead: f64) -> f64 {
        self.servers as f64 * self.service_rate + (ahead + 1.0) * self.abandon_rate
    }

    /// `Σ_{i<count} 1/phase_rate(i)`, seconds: summed term by term for the
    /// first 2²⁰ terms, then by the midpoint rule, whose relative error is
    /// below 10⁻¹² once the rates change by less than 10⁻⁶ from term to term.
    fn phase_lengths_seconds(&self, count: u64) -> f64 {
        const EXACT_TERMS: u64 = 1 << 20;
        let exact = count.min(EXACT_TERMS);
        let mut sum: f64 = (0..exact).map(|i| 1.0 / self.phase_rate(i as f64)).sum();
        if count > exact {
            // ∫ dx / (nμ + (x+1)θ) over [exact − ½, count − ½].
            let at = |x: f64| self.phase_rate(x).ln() / self.abandon_rate;
            sum += at(count as f64 - 0.5) - at(exact as f64 - 0.5);
        }
        sum
    }

    /// The probability that a call finding all agents busy and `ahead` calls
    /// waiting hangs up before reaching an agent: each of the `ahead + 1`
    /// phases it waits through ends in its abandonment with probability
    /// `θ / (nμ + iθ + θ)`; the product of the complements telescopes to
    /// `nμ / (nμ + (ahead+1)θ)` for being served.
    fn abandon_probability(&self, ahead: f64) -> f64 {
        let serve_rate = self.servers as f64 * self.service_rate;
        let leave_rate = (ahead + 1.0) * self.abandon_rate;
        leave_rate / (serve_rate + leave_rate)
    }

    /// Measures when callers are so patient, and the desk so overloaded,
    /// that the most likely queue is beyond 2⁵² calls (too far out to count
    /// states in an `f64`): then no state near the agents carries any
    /// probability an `f64` can hold, nobody is answered within a finite
    /// target, and the abandonments carry exactly the excess load,
    /// `1 − nμ/λ` (the fluid limit, exact to double precision here).
    fn beyond_counting(&self) -> Option<PalmMeasures> {
        let capacity = self.servers as f64 * self.service_rate;
        let queue_mode = (self.arrival_rate - capacity) / self.abandon_rate;
        // The answered calls are those whose patience outlasts the queue's
        // wait w, a share e^{−θw} = nμ/λ: so w = ln(λ/nμ)/θ.
        (queue_mode > BEYOND_COUNTING).then(|| PalmMeasures {
            abandonment_share: 1.0 - capacity / self.arrival_rate,
            answered_within_share: 0.0,
            answered_wait_seconds: (self.arrival_rate / capacity).ln() / self.abandon_rate,
        })
    }
}

/// Whether everything beyond a state of `weight` is negligible against
/// `total`, when each further ratio of successive weights is at most `ratio`:
/// the tail is then at most `weight·ratio/(1 − ratio)`.
fn is_negligible_tail(weight: f64, ratio: f64, total: f64) -> bool {
    ratio < 1.0 && weight * ratio <= NEGLIGIBLE * total * (1.0 - ratio)
}

/// The probability that a call finding `j` calls waiting ahead is answered
/// within `t`, for `j = 0, 1, 2, …` in turn:
/// `f(j) = nμ/(nμ + (j+1)θ) · P(N ≥ j+1)`, `N` the number of failures
/// before success number `r = nμ/θ + 1` in trials that succeed with
/// probability `e^{−θt}` (see [`service_level_a`]).
///
/// `P(N ≤ j)` is accumulated from the terms `q(0) = e^{−(nμ+θ)t}` and
/// `q(a+1)/q(a) = x·(a + r)/(a + 1)`, `x = 1 − e^{−θt}`, kept as logarithms so
/// that `q(0)` cannot underflow to zero for busy desks and long targets. As
/// `θ → 0` the ratio tends to `nμt/(a+1)`: Poisson, i.e. Erlang C's wait.
///
/// `LOGARITHMS`: the terms kept as logarithms (the exact walk's way); else
/// as themselves, by products, which an estimate takes where the first
/// term is large enough for them ([`SMALLEST_FIRST_TERM`]).
struct AnsweredWithin<const LOGARITHMS: bool> {
    serve_rate: f64,
    abandon_rate: f64,
    /// `x = 1 − e^{−θt}`.
    x: f64,
    /// `x·r`, computed without dividing by a tiny `θ`.
    x_times_r: f64,
    /// `ln q(j)`, or `q(j)` without `LOGARITHMS`.
    term: f64,
    /// `P(N < j)`.
    below: f64,
    /// The next `j`.
    ahead: u64,
    /// Whether `P(N ≥ j)` has become negligible for good.
    exhausted: bool,
}

/// The smallest first term `q(0) = e^{−(nμ+θ)t}` an estimate's series of
/// products starts from: far above the smallest `f64`, so that its terms do
/// not lose digits to underflow before they count.
const SMALLEST_FIRST_TERM: f64 = 1e-200;

impl<const LOGARITHMS: bool> AnsweredWithin<LOGARITHMS> {
    /// The series for `queue` and target `answer_within_seconds`; `None`
    /// without `LOGARITHMS` when its first term is below
    /// [`SMALLEST_FIRST_TERM`].
    fn new(queue: &PalmQueue, answer_within_seconds: f64) -> Option<Self> {
        let serve_rate = queue.servers as f64 * queue.service_rate;
        let theta = queue.abandon_rate;
        let t = answer_within_seconds;
        let theta_t = theta * t;
        let x = -(-theta_t).exp_m1();
        // x/θ: for tiny θt use the series t·(1 − θt/2), which avoids dividing
        // by a θ that may be subnormal.
        let x_over_theta = if theta_t < 1e-8 {
            t * (1.0 - theta_t / 2.0)
        } else {
            x / theta
        };
        let ln_first_term = -(serve_rate + theta) * t;
        let term = if LOGARITHMS {
            ln_first_term
        } else {
            let first_term = ln_first_term.exp();
            if first_term.is_nan() || first_term < SMALLEST_FIRST_TERM {
                return None;
            }
            first_term
        };
        Some(AnsweredWithin {
            serve_rate,
            abandon_rate: theta,
            x,
            x_times_r: serve_rate * x_over_theta + x,
            term,
            below: 0.0,
            ahead: 0,
            exhausted: false,
        })
    }

    /// `f(j)` for the current `j`; moves on to `j + 1`.
    fn next_share(&mut self) -> f64 {
        let j = self.ahead as f64;
        let term = if LOGARITHMS {
            self.term.exp()
        } else {
            self.term
        };
        self.below += term;
        let ratio = (self.x * j + self.x_times_r) / (j + 1.0);
        if LOGARITHMS {
            self.term += ratio.ln();
        } else {
            self.term *= ratio;
        }
        self.ahead += 1;
        // Once past the peak with a negligible rest, P(N ≥ j+1) is zero up
        // to rounding; say so exactly, so that `skip` can stop early.
        self.exhausted = self.exhausted || is_negligible_tail(term, ratio, self.below);
        let not_yet = if self.exhausted {
            0.0
        } else {
            (1.0 - self.below).max(0.0)
        };
        self.serve_rate / (self.serve_rate + (j + 1.0) * self.abandon_rate) * not_yet
    }

    /// Moves on by `count` values of `j` without reporting them.
    fn skip(&mut self, count: u64) {
        let target = self.ahead + count;
        // Once exhausted every share is zero, so only the count matters.
        while self.ahead < target && !self.exhausted {
            self.next_share();
        }
        self.ahead = target;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{Rng, SeedableRng};
    use std::collections::VecDeque;

    /// The three measures of one walk are each function's own, to the bit,
    /// over desks from idle to overloaded and one whose queue is beyond
    /// counting, and over the degenerate cases: no calls, calls that take
    /// no time, no patience, infinite patience, no agents, and targets of
    /// zero or less.
    #[test]
    fn the_three_measures_of_one_walk_are_each_function_s_to_the_bit() {
        let mut desks = Vec::new();
        for servers in [0, 1, 2, 5, 8, 13, 40, 200] {
            for arrivals in [0.0, 1.0, 30.0, 150.0, 600.0, 5_000.0] {
                for handle in [0.0, 60.0, 180.0, 600.0] {
                    for patience in [0.0, 30.0, 120.0, 600.0, f64::INFINITY] {
                        desks.push((servers, arrivals, handle, patience));
                    }
                }
            }
        }
        // A queue's mode beyond 2⁵² calls: 10⁹ calls an hour, patience 10¹² s.
        desks.push((8, 1e9, 180.0, 1e12));
        for (servers, arrivals, handle, patience) in desks {
            for within in [-5.0, 0.0, 20.0, 60.0, 600.0] {
                let desk = measures_a(servers, arrivals, handle, patience, within);
                let case = format!("{servers} {arrivals} {handle} {patience} {within}");
                let abandoned = abandonment_share_a(servers, arrivals, handle, patience);
                let wait = average_speed_of_answer_a(servers, arrivals, handle, patience);
                let in_time = service_level_a(servers, arrivals, handle, patience, within);
                assert_eq!(
                    desk.abandonment_share.to_bits(),
                    abandoned.to_bits(),
                    "{case}"
                );
                assert_eq!(
                    desk.answered_wait_seconds.to_bits(),
                    wait.to_bits(),
                    "{case}"
                );
                assert_eq!(
                    desk.answered_within_share.to_bits(),
                    in_time.to_bits(),
                    "{case}"
                );
            }
        }
    }

    /// Erlang B from its closed form `(Aⁿ/n!) / Σ_{k≤n} Aᵏ/k!`, summed term
    /// by term (fine for the small n used here).
    fn erlang_b_closed_form(servers: u32, load: f64) -> f64 {
        let terms = poisson_terms(servers, load);
        terms[servers as usize] / terms.iter().sum::<f64>()
    }

    /// `Aᵏ/k!` for `k = 0..=n`.
    fn poisson_terms(servers: u32, load: f64) -> Vec<f64> {
        let mut terms = vec![1.0];
        for k in 1..=servers {
            terms.push(terms[k as usize - 1] * load / f64::from(k));
        }
        terms
    }

    /// Erlang C from its textbook closed form
    /// `(Aⁿ/n!)·n/(n−A) / (Σ_{k<n} Aᵏ/k! + (Aⁿ/n!)·n/(n−A))`.
    fn erlang_c_closed_form(servers: u32, load: f64) -> f64 {
        let terms = poisson_terms(servers, load);
        let n = f64::from(servers);
        let top = terms[servers as usize] * n / (n - load);
        top / (terms[..servers as usize].iter().sum::<f64>() + top)
    }

    #[test]
    fn erlang_b_matches_table_values() {
        // B(10, 5) = 0.018385 to six places (the usual table entry; the
        // closed form gives 0.0183846, see the next test).
        assert_close(erlang_b(10, 5.0), 0.018385, 5e-7);
        // By hand: (2³/3!) / (1 + 2 + 2²/2! + 2³/3!) = (8/6)/(1 + 2 + 2 + 8/6) = 4/19.
        assert_close(erlang_b(3, 2.0), 4.0 / 19.0, 1e-15);
        // One line: B = A/(1 + A).
        assert_close(erlang_b(1, 3.0), 0.75, 1e-15);
    }

    /// Published example: a trunk group of 15 lines at 1 % blocking can be
    /// offered at most 8.108 Erlangs. Source: Westbay Engineers, Erlang
    /// calculator manual, "How much traffic can a trunk group handle?",
    /// https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm
    #[test]
    fn erlang_b_matches_published_westbay_example() {
        let (mut low, mut high) = (1.0, 15.0);
        for _ in 0..100 {
            let middle = (low + high) / 2.0;
            if erlang_b(15, middle) <= 0.01 {
                low = middle;
            } else {
                high = middle;
            }
        }
        assert_close(low, 8.108, 5e-4);
    }

    #[test]
    fn erlang_b_recursion_matches_closed_form() {
        for servers in 0..=30 {
            for load in [0.1, 1.0, 2.5, 7.0, 15.0, 40.0] {
                let closed = erlang_b_closed_form(servers, load);
                assert_close(erlang_b(servers, load), closed, 1e-13 * closed.max(1e-3));
            }
        }
    }

    #[test]
    fn erlang_b_handles_large_and_degenerate_inputs() {
        // 1000 lines would overflow Aⁿ and n! in the closed form.
        let blocking = erlang_b(1000, 950.0);
        assert!(blocking > 0.0 && blocking < 0.05, "{blocking}");
        assert_eq!(erlang_b(0, 3.0), 1.0);
        assert_eq!(erlang_b(0, 0.0), 1.0);
        assert_eq!(erlang_b(5, 0.0), 0.0);
        assert_eq!(erlang_b(5, -1.0), 0.0);
        assert_eq!(erlang_b(5, f64::NAN), 0.0);
        assert_eq!(erlang_b(u32::MAX, 10.0), 0.0);
    }

    #[test]
    fn erlang_c_matches_closed_form() {
        for servers in 1..=30 {
            for load in [0.1, 1.0, 2.5, 7.0, 15.0, 29.5] {
                if load < f64::from(servers) {
                    let closed = erlang_c_closed_form(servers, load);
                    assert_close(erlang_c(servers, load), closed, 1e-12);
                }
            }
        }
        assert_eq!(erlang_c(10, 10.0), 1.0);
        assert_eq!(erlang_c(10, 12.0), 1.0);
        assert_eq!(erlang_c(0, 0.0), 0.0);
        assert_eq!(erlang_c(3, 0.0), 0.0);
    }

    /// Published worked example: 360 calls per half hour (0.2 calls a
    /// second), 4-minute calls, 55 agents, 15-second target. The page gives
    /// E_C = 0.2387, an average wait of 8.184 s and 84.59 % answered within
    /// 15 s. Source: "The Erlang-C Formula", Mitan Ltd,
    /// http://www.mitan.co.uk/erlang/elgcmath.htm (numbers reproduced in
    /// "Maxima Example: Erlang Formulas", which cites that page).
    #[test]
    fn erlang_c_matches_published_mitan_example() {
        let (arrivals_per_hour, handle_seconds) = (720.0, 240.0);
        let load = arrivals_per_hour / 3600.0 * handle_seconds;
        assert_close(load, 48.0, 1e-12);
        let waiting = erlang_c(55, load);
        assert_close(waiting, 0.2387, 5e-5);
        let average_wait_seconds = waiting * handle_seconds / (55.0 - load);
        assert_close(average_wait_seconds, 8.184, 5e-4);
        assert_close(
            service_level_c(55, arrivals_per_hour, handle_seconds, 15.0),
            0.8459,
            5e-5,
        );
    }

    /// Published worked example: 600 calls an hour of 120 s (20 Erlangs);
    /// a delay probability of at most 15 % needs 26 circuits, and 30 circuits
    /// cut it to 2.5 %. Source: Erlang C calculator help page,
    /// http://personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm
    #[test]
    fn erlang_c_matches_published_telefonica_example() {
        assert!(erlang_c(26, 20.0) <= 0.15);
        assert!(erlang_c(25, 20.0) > 0.15);
        assert_close(erlang_c(30, 20.0), 0.025, 5e-4);
    }

    /// The inputs of the Call Centre Helper worked example ("Erlang C
    /// Formula – Made Simple With an Easy Worked Example",
    /// callcentrehelper.com): 100 calls per 30 minutes (200 an hour), 180 s
    /// handle time, 80 % within 20 s, so A = 10 Erlangs. The stored copy of
    /// that page consulted did not include its results, so the expected
    /// values come from the textbook closed form, computed here
    /// independently of the module: with 13 agents 28.53 % wait and 79.56 %
    /// are answered in time, just short of 80 %, so 14 agents are needed
    /// (88.84 %).
    #[test]
    fn erlang_c_call_centre_helper_example() {
        let (arrivals, handle, within) = (200.0, 180.0, 20.0);
        let load = 10.0;
        let closed_share = |servers: u32| {
            let n = f64::from(servers);
            1.0 - erlang_c_closed_form(servers, load) * (-(n - load) * within / handle).exp()
        };
        for servers in 11..=15 {
            assert_close(
                erlang_c(servers, load),
                erlang_c_closed_form(servers, load),
                1e-12,
            );
            let share = service_level_c(servers, arrivals, handle, within);
            assert_close(share, closed_share(servers), 1e-12);
        }
        // The rounded figures as a worked example would print them.
        assert_close(erlang_c(11, load), 0.6821, 5e-5);
        assert_close(erlang_c(12, load), 0.4494, 5e-5);
        assert_close(erlang_c(13, load), 0.2853, 5e-5);
        assert_close(service_level_c(11, arrivals, handle, within), 0.3896, 5e-5);
        assert_close(service_level_c(12, arrivals, handle, within), 0.6402, 5e-5);
        assert_close(service_level_c(13, arrivals, handle, within), 0.7956, 5e-5);
        assert_close(service_level_c(14, arrivals, handle, within), 0.8884, 5e-5);
        assert_eq!(
            agents_for_service_level_c(arrivals, handle, within, 0.8),
            14
        );
    }

    #[test]
    fn service_level_c_degenerate_inputs() {
        assert_eq!(service_level_c(5, 0.0, 180.0, 20.0), 1.0);
        assert_eq!(service_level_c(0, 0.0, 180.0, 20.0), 1.0);
        assert_eq!(service_level_c(5, 100.0, 0.0, 20.0), 1.0);
        assert_eq!(service_level_c(10, 200.0, 180.0, 20.0), 0.0);
        assert_eq!(service_level_c(0, 200.0, 180.0, 20.0), 0.0);
        // t = 0: answered at once = did not wait.
        assert_close(
            service_level_c(13, 200.0, 180.0, 0.0),
            1.0 - erlang_c(13, 10.0),
            1e-15,
        );
        assert_eq!(agents_for_service_level_c(0.0, 180.0, 20.0, 0.8), 0);
        assert_eq!(agents_for_service_level_c(200.0, 180.0, 20.0, 0.0), 0);
        assert_eq!(
            agents_for_service_level_c(f64::MAX, 180.0, 20.0, 0.8),
            u32::MAX
        );
        // An unreachable target returns the documented cap A + 10√A + 100.
        assert_eq!(agents_for_service_level_c(200.0, 180.0, 20.0, 1.5), 142);
    }

    #[test]
    fn agents_for_service_level_c_is_the_minimum() {
        let cases = [
            (200.0, 180.0, 20.0, 0.8),
            (100.0, 180.0, 20.0, 0.8),
            (1000.0, 300.0, 30.0, 0.9),
            (50_000.0, 240.0, 20.0, 0.8),
            (3.0, 600.0, 60.0, 0.95),
            (0.5, 60.0, 0.0, 0.99),
        ];
        for (arrivals, handle, within, target) in cases {
            let n = agents_for_service_level_c(arrivals, handle, within, target);
            assert!(service_level_c(n, arrivals, handle, within) >= target);
            assert!(service_level_c(n - 1, arrivals, handle, within) < target);
        }
    }

    /// Two desks of 100 calls an hour (3-minute calls) each need 8 agents
    /// for 80 % within 20 s; one desk taking all 200 calls needs 14, two
    /// fewer than the 16 of the separate desks. The minima are first checked
    /// with the closed form, independently of the module.
    #[test]
    fn pooling_needs_fewer_agents() {
        let closed_share = |servers: u32, arrivals: f64| {
            let load = arrivals * 180.0 / 3600.0;
            let n = f64::from(servers);
            1.0 - erlang_c_closed_form(servers, load) * (-(n - load) * 20.0 / 180.0).exp()
        };
        // Independent check of the minima: closed-form Erlang C.
        assert!(closed_share(8, 100.0) >= 0.8 && closed_share(7, 100.0) < 0.8);
        assert!(closed_share(14, 200.0) >= 0.8 && closed_share(13, 200.0) < 0.8);
        let separate = 2 * agents_for_service_level_c(100.0, 180.0, 20.0, 0.8);
        let pooled = agents_for_service_level_c(200.0, 180.0, 20.0, 0.8);
        assert_eq!((separate, pooled), (16, 14));
    }

    /// Stationary distribution of the Erlang A chain from the product
    /// formula `p(k) ∝ Π_{i≤k} λ / d(i)`, over plenty of states.
    fn palm_distribution(
        servers: u32,
        lambda: f64,
        mu: f64,
        theta: f64,
        states: usize,
    ) -> Vec<f64> {
        let n = f64::from(servers);
        let mut weights = vec![1.0];
        for k in 1..states {
            let k_f = k as f64;
            let death = mu * k_f.min(n) + theta * (k_f - n).max(0.0);
            weights.push(weights[k - 1] * lambda / death);
        }
        let total: f64 = weights.iter().sum();
        weights.iter().map(|w| w / total).collect()
    }

    #[test]
    fn abandonment_matches_stationary_distribution() {
        // 200 calls an hour, 3-minute calls, 2-minute patience, 9 to 12 agents.
        let (lambda, mu, theta) = (200.0 / 3600.0, 1.0 / 180.0, 1.0 / 120.0);
        for servers in 9..=12 {
            let p = palm_distribution(servers, lambda, mu, theta, 400);
            let n = servers as usize;
            let queue: f64 = p
                .iter()
                .enumerate()
                .skip(n)
                .map(|(k, pk)| (k - n) as f64 * pk)
                .sum();
            // θ·E[queue]/λ, and the PASTA form Σ p(n+j)·P(abandon | j ahead):
            // each call ahead, and the caller, leaves at θ against n·μ.
            let by_rates = theta * queue / lambda;
            let by_pasta: f64 = p
                .iter()
                .enumerate()
                .skip(n)
                .map(|(k, pk)| {
                    let ahead = (k - n) as f64;
                    let serve = f64::from(servers) * mu;
                    pk * (1.0 - serve / (serve + (ahead + 1.0) * theta))
                })
                .sum();
            assert_close(by_rates, by_pasta, 1e-12);
            let share = abandonment_share_a(servers, 200.0, 180.0, 120.0);
            assert_close(share, by_rates, 1e-12);
        }
    }

    /// With patience equal to the handle time, every call in the system
    /// leaves at the same rate μ, so the number in system is that of an
    /// M/M/∞ queue: Poisson(A). Abandonments are then E[(K − n)⁺]/A.
    #[test]
    fn abandonment_with_patience_equal_to_handle_time_is_poisson() {
        let load: f64 = 10.0;
        for servers in [5_u32, 10, 14] {
            let mut pmf = (-load).exp();
            let mut excess = 0.0;
            for k in 0..200_u32 {
                if k > servers {
                    excess += f64::from(k - servers) * pmf;
                }
                pmf *= load / f64::from(k + 1);
            }
            let share = abandonment_share_a(servers, 200.0, 180.0, 180.0);
            assert_close(share, excess / load, 1e-12);
        }
    }

    /// P(answered within t | j ahead), integrated independently as the
    /// backward equations of the waiting phases with classical RK4:
    /// `u_i' = a_i·u_{i−1} − (a_i + θ)·u_i`, `u_{−1} = 1`, `a_i = nμ + iθ`.
    fn answered_by_ode(serve: f64, theta: f64, t: f64, max_ahead: usize) -> Vec<f64> {
        let derivative = |u: &[f64]| -> Vec<f64> {
            (0..u.len())
                .map(|i| {
                    let rate = serve + i as f64 * theta;
                    let previous = if i == 0 { 1.0 } else { u[i - 1] };
                    rate * previous - (rate + theta) * u[i]
                })
                .collect()
        };
        let steps = 4000;
        let h = t / f64::from(steps);
        let mut u = vec![0.0; max_ahead + 1];
        for _ in 0..steps {
            let k1 = derivative(&u);
            let at = |k: &[f64], s: f64| -> Vec<f64> {
                u.iter().zip(k).map(|(a, b)| a + s * b).collect()
            };
            let k2 = derivative(&at(&k1, h / 2.0));
            let k3 = derivative(&at(&k2, h / 2.0));
            let k4 = derivative(&at(&k3, h));
            for i in 0..u.len() {
                u[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
        }
        u
    }

    #[test]
    fn answered_within_matches_ode_integration() {
        for (servers, patience) in [(11_u32, 120.0), (8, 30.0), (20, 600.0)] {
            let queue = PalmQueue {
                servers: u64::from(servers),
                arrival_rate: 200.0 / 3600.0,
                service_rate: 1.0 / 180.0,
                abandon_rate: 1.0 / patience,
            };
            let serve = f64::from(servers) / 180.0;
            let ode = answered_by_ode(serve, 1.0 / patience, 20.0, 150);
            // The exact walk's series, in logarithms, and the estimate's,
            // in products.
            let mut logarithms = AnsweredWithin::<true>::new(&queue, 20.0).unwrap();
            let mut products = AnsweredWithin::<false>::new(&queue, 20.0).unwrap();
            for expected in ode {
                assert_close(logarithms.next_share(), expected, 1e-9);
                assert_close(products.next_share(), expected, 1e-9);
            }
        }
        // j = 0 in closed form: nμ/(nμ + θ)·(1 − e^{−(nμ+θ)t}).
        let queue = PalmQueue {
            servers: 11,
            arrival_rate: 0.05,
            service_rate: 1.0 / 180.0,
            abandon_rate: 1.0 / 120.0,
        };
        let rate: f64 = 11.0 / 180.0 + 1.0 / 120.0;
        let expected = (11.0 / 180.0) / rate * (1.0 - (-rate * 20.0).exp());
        assert_close(
            AnsweredWithin::<true>::new(&queue, 20.0)
                .unwrap()
                .next_share(),
            expected,
            1e-15,
        );
        assert_close(
            AnsweredWithin::<false>::new(&queue, 20.0)
                .unwrap()
                .next_share(),
            expected,
            1e-15,
        );
        // A first term too small for products: the estimate stands aside.
        let busy = PalmQueue {
            servers: 2_000,
            ..queue
        };
        assert!(AnsweredWithin::<false>::new(&busy, 60.0).is_none());
        assert!(AnsweredWithin::<true>::new(&busy, 60.0).is_some());
    }

    #[test]
    fn service_level_matches_stationary_distribution_and_ode() {
        let (servers, patience) = (11_u32, 120.0);
        let p = palm_distribution(servers, 200.0 / 3600.0, 1.0 / 180.0, 1.0 / patience, 400);
        let n = servers as usize;
        let answered = answered_by_ode(f64::from(servers) / 180.0, 1.0 / patience, 20.0, 400 - n);
        let expected: f64 = p[..n].iter().sum::<f64>()
            + p[n..]
                .iter()
                .zip(&answered)
                .map(|(pk, f)| pk * f)
                .sum::<f64>();
        assert_close(
            service_level_a(servers, 200.0, 180.0, patience, 20.0),
            expected,
            1e-9,
        );
    }

    #[test]
    fn erlang_a_converges_to_erlang_c_and_b() {
        for servers in [11_u32, 13, 20] {
            let a = service_level_a(servers, 200.0, 180.0, 1e9, 20.0);
            let c = service_level_c(servers, 200.0, 180.0, 20.0);
            assert_close(a, c, 1e-6);
            assert!(abandonment_share_a(servers, 200.0, 180.0, 1e9) < 1e-6);
            // Nearly no patience: lost as in Erlang B.
            let b = erlang_b(servers, 10.0);
            assert_close(abandonment_share_a(servers, 200.0, 180.0, 1e-9), b, 1e-9);
            assert_close(
                service_level_a(servers, 200.0, 180.0, 1e-9, 20.0),
                1.0 - b,
                1e-9,
            );
        }
        // Exactly infinite or zero patience take the closed forms.
        assert_eq!(
            service_level_a(13, 200.0, 180.0, f64::INFINITY, 20.0),
            service_level_c(13, 200.0, 180.0, 20.0)
        );
        assert_eq!(
            abandonment_share_a(12, 200.0, 180.0, 0.0),
            erlang_b(12, 10.0)
        );
        // Extreme but positive impatience: the rare queued states matter
        // for abandonment only through a huge θ, which PASTA handles.
        let b = erlang_b(9, 10.0);
        assert_close(abandonment_share_a(9, 200.0, 180.0, 1e-300), b, 1e-12);
        assert_close(
            service_level_a(9, 200.0, 180.0, 1e-300, 20.0),
            1.0 - b,
            1e-12,
        );
    }

    #[test]
    fn average_speed_of_answer_c_matches_hand_computation() {
        // 10 Erlangs on 13 agents: C = 0.285270 (table value above), waits
        // of mean AHT/(n − A) = 180/3 = 60 s: ASA = 0.285270 × 60 = 17.116 s.
        assert_close(average_speed_of_answer_c(13, 200.0, 180.0), 17.1162, 1e-3);
        // Two Erlangs on three agents, by hand: B = 4/19, C = 3B/(3 − 2(1 − B))
        // = (12/19)/(1 + 8/19) = 12/27 = 4/9; ASA = 4/9 × 180/1 = 80 s.
        assert_close(average_speed_of_answer_c(3, 40.0, 180.0), 80.0, 1e-9);
        assert_eq!(average_speed_of_answer_c(3, 0.0, 180.0), 0.0);
        assert_eq!(average_speed_of_answer_c(10, 200.0, 180.0), f64::INFINITY);
    }

    #[test]
    fn average_speed_of_answer_a_matches_first_step_analysis() {
        // The stationary distribution by the product formula, and each
        // state's E[wait · answered] by first-step analysis: with j ahead the
        // phase (rate r = nμ + (j+1)θ) lasts 1/r whatever ends it, then the
        // call moves on with probability (nμ + jθ)/r:
        // g(j) = P(answered | j)/r + (nμ + jθ)/r · g(j − 1), g(−1) = 0.
        let (lambda, mu, theta) = (200.0 / 3600.0, 1.0 / 180.0, 1.0 / 120.0);
        for servers in 9..=12 {
            let p = palm_distribution(servers, lambda, mu, theta, 400);
            let (n, serve) = (servers as usize, f64::from(servers) * mu);
            let (mut g, mut wait, mut answered) = (0.0, 0.0, p[..n].iter().sum::<f64>());
            for (j, weight) in p[n..].iter().enumerate() {
                let r = serve + (j as f64 + 1.0) * theta;
                let served = serve / r;
                g = served / r + (serve + j as f64 * theta) / r * g;
                wait += weight * g;
                answered += weight * served;
            }
            let asa = average_speed_of_answer_a(servers, 200.0, 180.0, 120.0);
            assert_close(asa, wait / answered, 1e-9);
        }
    }

    #[test]
    fn average_speed_of_answer_a_converges_and_handles_extremes() {
        // Patient callers: Erlang C's; no patience: nobody waits.
        let c = average_speed_of_answer_c(11, 200.0, 180.0);
        assert_close(average_speed_of_answer_a(11, 200.0, 180.0, 1e9), c, 1e-3);
        assert_eq!(average_speed_of_answer_a(11, 200.0, 180.0, 0.0), 0.0);
        assert_eq!(average_speed_of_answer_a(11, 0.0, 180.0, 60.0), 0.0);
        // No agents: nobody is answered.
        assert_eq!(average_speed_of_answer_a(0, 200.0, 180.0, 60.0), 0.0);
        // An overloaded desk with patient callers (fluid limit): the answered
        // wait ln(λ/nμ)/θ; here λ = 2nμ, so ln 2 × 10¹⁸ s.
        let asa = average_speed_of_answer_a(1, 7200.0, 1.0, 1e18);
        assert!(asa.is_finite() && asa > 0.0, "{asa}");
        // Overloaded but countable: the queue's wait is about the time the
        // excess takes to hang up, finite and below the patience times ln 2.
        let asa = average_speed_of_answer_a(1, 7200.0, 1.0, 1e6);
        assert!(asa > 0.0 && asa < 1e6 * 2f64.ln() * 1.01, "{asa}");
        // Long waiting lines summed past the exact terms agree with the
        // term-by-term sum to rounding.
        let queue = PalmQueue {
            servers: 1,
            arrival_rate: 2.0,
            service_rate: 1.0,
            abandon_rate: 1e-3,
        };
        let count = (1 << 20) + 5_000_000;
        let exact: f64 = (0..count).map(|i| 1.0 / queue.phase_rate(i as f64)).sum();
        assert_close(queue.phase_lengths_seconds(count) / exact, 1.0, 1e-11);
    }

    #[test]
    fn erlang_a_degenerate_and_large_inputs() {
        assert_eq!(service_level_a(5, 0.0, 180.0, 60.0, 20.0), 1.0);
        assert_eq!(abandonment_share_a(5, 0.0, 180.0, 60.0), 0.0);
        // No agents: everyone waits and hangs up.
        assert_close(abandonment_share_a(0, 200.0, 180.0, 60.0), 1.0, 1e-12);
        assert_eq!(service_level_a(0, 200.0, 180.0, 60.0, 20.0), 0.0);
        // Overloaded but stable thanks to abandonment.
        let share = abandonment_share_a(8, 200.0, 180.0, 60.0);
        assert!(share > 0.2 && share < 1.0, "{share}");
        // A big desk: 100 000 calls an hour of 5 minutes (8 333 Erlangs).
        let big = service_level_a(8400, 100_000.0, 300.0, 120.0, 20.0);
        assert!(big > 0.5 && big < 1.0, "{big}");
        let big_abandon = abandonment_share_a(8000, 100_000.0, 300.0, 120.0);
        // At least the overload 1 − n/A must leave.
        assert!(
            big_abandon > 1.0 - 8000.0 / (100_000.0 / 12.0),
            "{big_abandon}"
        );
        // Very patient callers on an overloaded desk: nearly the fluid limit
        // 1 − n/A abandon, and almost nobody is answered within 20 s.
        let fluid = abandonment_share_a(9, 200.0, 180.0, 1e7);
        assert_close(fluid, 0.1, 1e-3);
        assert!(service_level_a(9, 200.0, 180.0, 1e7, 20.0) < 1e-3);
        // Beyond counting (queue mode above 2⁵²): the fluid limit exactly.
        assert_close(abandonment_share_a(9, 200.0, 180.0, 1e300), 0.1, 1e-12);
        assert_eq!(service_level_a(9, 200.0, 180.0, 1e300, 20.0), 0.0);
        let flooded = abandonment_share_a(10, f64::MAX, 180.0, 60.0);
        assert!((0.0..=1.0).contains(&flooded), "{flooded}");
    }

    #[test]
    fn agents_for_service_level_a_is_the_minimum() {
        let cases = [
            (200.0, 180.0, 120.0, 20.0, 0.8),
            (100.0, 180.0, 60.0, 20.0, 0.8),
            (1000.0, 300.0, 180.0, 30.0, 0.9),
            (50_000.0, 240.0, 90.0, 20.0, 0.8),
            (200.0, 180.0, 1e9, 20.0, 0.8),
            (200.0, 180.0, 0.0, 20.0, 0.95),
        ];
        for (arrivals, handle, patience, within, target) in cases {
            let n = agents_for_service_level_a(arrivals, handle, patience, within, target);
            assert!(service_level_a(n, arrivals, handle, patience, within) >= target);
            assert!(service_level_a(n - 1, arrivals, handle, patience, within) < target);
        }
        // Infinite patience staffs like Erlang C.
        assert_eq!(
            agents_for_service_level_a(200.0, 180.0, f64::INFINITY, 20.0, 0.8),
            14
        );
        assert_eq!(agents_for_service_level_a(0.0, 180.0, 60.0, 20.0, 0.8), 0);
    }

    /// The staffing search's test, which stops its walk once the answer is
    /// clear, answers as the full walk's share does, for every number of
    /// agents from none to well past the answer, over desks from a
    /// handful of calls to thousands an hour, callers from impatient to
    /// all but infinitely patient, targets from 0 to above 1 — and for the
    /// targets hardest to decide early: each desk's own share exactly (met)
    /// and the next `f64` above it (missed).
    #[test]
    fn the_early_answer_of_the_staffing_search_is_the_full_walk_s() {
        let mut checked = 0;
        let mut hardest = 0;
        for arrivals in [3.0, 40.0, 200.0, 1500.0] {
            for handle in [60.0, 390.0] {
                for patience in [5.0, 120.0, 900.0, 1e7] {
                    for within in [0.0, 20.0, 60.0, 600.0] {
                        let load = offered_load_erlangs(arrivals, handle);
                        let most = (load + 6.0 * load.sqrt() + 5.0) as u32;
                        for servers in 0..=most {
                            let share =
                                service_level_a(servers, arrivals, handle, patience, within);
                            let meets = |target: f64| {
                                meets_service_level_a(
                                    servers, arrivals, handle, patience, within, target,
                                )
                            };
                            for target in [0.0, 0.2, 0.5, 0.8, 0.95, 0.999, 1.0, 1.5] {
                                assert_eq!(
                                    meets(target),
                                    share >= target,
                                    "{servers} agents, {arrivals}/h × {handle} s, patience \
                                     {patience} s, within {within} s: share {share}, target \
                                     {target}"
                                );
                                checked += 1;
                            }
                            if share > 0.0 && share < 1.0 {
                                assert!(meets(share), "{servers} agents, {arrivals}/h: {share}");
                                assert!(!meets(share.next_up()), "{servers}, {arrivals}/h");
                                hardest += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 50_000 && hardest > 4_000, "{checked} {hardest}");
    }

    /// Uniform on (0, 1), never exactly 0 or 1.
    fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
        ((rng.next_u64() >> 11) as f64 + 0.5) / (1_u64 << 53) as f64
    }

    fn exponential(rng: &mut Xoshiro256PlusPlus, rate: f64) -> f64 {
        -uniform(rng).ln() / rate
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Outcome {
        Pending,
        InTime,
        Late,
        Abandoned,
    }

    /// Discrete-event simulation of M/M/n+M, first come first served. Each
    /// waiting caller draws a patience deadline on arrival; callers whose
    /// deadline has passed are dropped (as abandoned) when they reach the
    /// head of the queue, which is equivalent because the arrival process
    /// and the agents do not depend on who is waiting. Service completions
    /// are drawn afresh at each event (rate busy·μ), exact by memorylessness.
    fn simulate_palm(
        servers: u32,
        lambda: f64,
        mu: f64,
        theta: f64,
        t: f64,
        calls: usize,
        seed: u64,
    ) -> Vec<Outcome> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut outcomes = vec![Outcome::Pending; calls];
        let mut waiting: VecDeque<(usize, f64, f64)> = VecDeque::new();
        let (mut now, mut busy, mut arrived) = (0.0, 0_u32, 0_usize);
        let mut next_arrival = exponential(&mut rng, lambda);
        while arrived < calls || busy > 0 {
            let completion = if busy > 0 {
                now + exponential(&mut rng, f64::from(busy) * mu)
            } else {
                f64::INFINITY
            };
            let arrival = if arrived < calls {
                next_arrival
            } else {
                f64::INFINITY
            };
            if completion < arrival {
                now = completion;
                busy -= 1;
                while let Some((id, arrived_at, deadline)) = waiting.pop_front() {
                    if deadline <= now {
                        outcomes[id] = Outcome::Abandoned;
                        continue;
                    }
                    outcomes[id] = if now - arrived_at <= t {
                        Outcome::InTime
                    } else {
                        Outcome::Late
                    };
                    busy += 1;
                    break;
                }
            } else {
                now = arrival;
                if busy < servers {
                    busy += 1;
                    outcomes[arrived] = Outcome::InTime;
                } else {
                    waiting.push_back((arrived, now, now + exponential(&mut rng, theta)));
                }
                arrived += 1;
                next_arrival = now + exponential(&mut rng, lambda);
            }
        }
        // With no agent busy, everyone still queued has hung up.
        for (id, _, _) in waiting {
            outcomes[id] = Outcome::Abandoned;
        }
        outcomes
    }

    /// Mean and standard error by batch means: consecutive calls are
    /// correlated through the queue, so the binomial formula would
    /// understate the error; batches of 50 000 calls, thousands of times the
    /// queue's relaxation time, are nearly independent, and the standard
    /// error of their mean is their sample standard deviation over √batches.
    fn batch_mean(hits: &[bool], batches: usize) -> (f64, f64) {
        let size = hits.len() / batches;
        let means: Vec<f64> = hits
            .chunks_exact(size)
            .map(|batch| batch.iter().filter(|&&hit| hit).count() as f64 / size as f64)
            .collect();
        let count = means.len() as f64;
        let mean = means.iter().sum::<f64>() / count;
        let variance = means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (count - 1.0);
        (mean, (variance / count).sqrt())
    }

    /// No published Erlang A value could be found to cite, so the formulas
    /// are checked against a simulation of M/M/n+M: 11 agents, 200 calls an
    /// hour of 180 s, 2-minute mean patience, 20-second target. Agreement
    /// is required within 4 standard errors.
    #[test]
    fn erlang_a_matches_simulation() {
        let (servers, arrivals, handle, patience, within) = (11, 200.0, 180.0, 120.0, 20.0);
        let warm_up = 10_000;
        let batches = 40;
        let measured = batches * 50_000;
        let outcomes = simulate_palm(
            servers,
            arrivals / 3600.0,
            1.0 / handle,
            1.0 / patience,
            within,
            warm_up + measured,
            20_240_917,
        );
        let measured = &outcomes[warm_up..];
        assert!(measured.iter().all(|o| *o != Outcome::Pending));
        let in_time: Vec<bool> = measured.iter().map(|o| *o == Outcome::InTime).collect();
        let abandoned: Vec<bool> = measured.iter().map(|o| *o == Outcome::Abandoned).collect();
        let (share, share_error) = batch_mean(&in_time, batches);
        let (lost, lost_error) = batch_mean(&abandoned, batches);
        let formula_share = service_level_a(servers, arrivals, handle, patience, within);
        let formula_lost = abandonment_share_a(servers, arrivals, handle, patience);
        assert!(
            (formula_share - share).abs() <= 4.0 * share_error,
            "service level {formula_share} vs simulated {share} ± {share_error}"
        );
        assert!(
            (formula_lost - lost).abs() <= 4.0 * lost_error,
            "abandonment {formula_lost} vs simulated {lost} ± {lost_error}"
        );
    }
}
