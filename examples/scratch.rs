use sscsim::sim::{Workspace, simulate_replication};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let s = sscsim::scenario::parse(&path, &text).unwrap();
    let o = simulate_replication(&s, 1, 0, &mut Workspace::default());
    for (st, out) in s.strategies.iter().zip(&o.strategies) {
        println!("== {}", st.id);
        for (y, yr) in out.years.iter().enumerate() {
            println!(
                "y{y}: staff {:.2} prem {:.2} fixed {:.2} harm {:.2} trans {:.2} setup {:.2} | fte {:.1} proc {:.1} sup {:.1} ovh {:.1}",
                yr.staff_cost_usd / 1e6,
                yr.premises_cost_usd / 1e6,
                yr.fixed_cost_usd / 1e6,
                yr.harmonisation_cost_usd / 1e6,
                yr.transition_cost_usd / 1e6,
                yr.setup_cost_usd / 1e6,
                yr.fte.total(),
                yr.processing_fte,
                yr.supervision_fte,
                yr.overhead_fte
            );
        }
    }
}
