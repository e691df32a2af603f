//! What follows a heuristic search, the same in one process and in the
//! merge of its shards: the structures found ranked replication by
//! replication, and the queues of the best structures' centres served.
//! `sscsim pool` and `sscsim merge` both go through here, so a merge of
//! shards writes what the single run writes.

use super::analysis::{RankedStructure, distinct_blocks, rank, structure_costs};
use super::lazy::LazyGame;
use super::partition::{Block, Structure};
use super::{Game, Workspace, serve_blocks};
use crate::model::Scenario;
use crate::run::{Interrupted, RunControl, in_blocks};
use crate::sim::ServiceTotals;

/// The structures a heuristic search found on `lazy`, ranked as the exact
/// search's are: each block priced in every replication, each structure's
/// cost summed per replication, then [`rank`].
pub fn rank_found(lazy: &LazyGame<'_>, structures: Vec<Structure>) -> Vec<RankedStructure> {
    let mut blocks: Vec<Block> = structures
        .iter()
        .flat_map(|s| s.blocks.iter().copied())
        .collect();
    blocks.sort();
    blocks.dedup();
    let block_costs = lazy.block_costs(&blocks);
    let per_replication = structure_costs(
        &structures,
        |block, r| block_costs[blocks.binary_search(block).expect("every block was priced")][r],
        lazy.replications(),
    );
    rank(structures, &per_replication)
}

/// Each ranked structure's mean service level over `replications` (from
/// 0) of `seed`: the queues of the distinct blocks of `ranked` served
/// replication by replication, in blocks of replications that `control`
/// can stop.
///
/// # Errors
/// [`Interrupted`] when `control` is cancelled.
pub fn serve_ranked(
    scenario: &Scenario,
    game: &Game,
    ranked: &[RankedStructure],
    seed: u64,
    replications: u64,
    control: &RunControl,
) -> Result<Vec<f64>, Interrupted> {
    let blocks = distinct_blocks(ranked);
    let mut served: Vec<Vec<ServiceTotals>> = Vec::with_capacity(replications as usize);
    in_blocks(
        0..replications,
        control,
        |w: &mut Workspace, r| serve_blocks(scenario, game, &blocks, seed, r, w),
        |s| {
            served.push(s);
            Ok::<_, Interrupted>(())
        },
    )?;
    Ok(service_levels(ranked, &blocks, &served))
}

/// Each ranked structure's mean service level: on-time share of the
/// resolved work of its blocks, averaged over replications.
fn service_levels(
    ranked: &[RankedStructure],
    blocks: &[Block],
    served: &[Vec<ServiceTotals>],
) -> Vec<f64> {
    ranked
        .iter()
        .map(|r| {
            let per_replication = served.iter().map(|totals| {
                let mut sum = ServiceTotals::default();
                for block in &r.structure.blocks {
                    sum.add(&totals[blocks.binary_search(block).expect("every block was served")]);
                }
                if sum.resolved() > 0.0 {
                    sum.on_time / sum.resolved()
                } else {
                    1.0
                }
            });
            per_replication.sum::<f64>() / served.len() as f64
        })
        .collect()
}
