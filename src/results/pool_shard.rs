//! `pool_shard.toml`: what one shard of a heuristic coalition search
//! (`pool --search heuristic --shard I/N`) hands to `sscsim merge`.
//!
//! A shard runs a contiguous block of the search's restarts, each seeded
//! from its global index, on the same game as every other shard (all the
//! replications, the same draws). It keeps:
//! - the best structures its restarts found, cheapest first, with their
//!   mean NPV cost: merged in shard order by
//!   [`crate::pool::search::merge_found`], they are the structures a
//!   single process running every restart finds;
//! - the mean cost of every coalition it evaluated, at every location
//!   option: the merge starts from them, so it evaluates again only what
//!   the single run evaluated after its search, and counts the coalitions
//!   evaluated as the single run does.
//!
//! - the Shapley blocks it drew (`[[shapley_block]]`, format 2): its
//!   contiguous range of the `--shapley-blocks` blocks after the pilot,
//!   each block's samples, mean marginal cost and sum of squared
//!   deviations per stratum, unmerged, so that the merge adds them in
//!   block order to the bits of one process
//!   ([`crate::pool::stratified_shapley::merge_blocks`]). The coalitions
//!   the pilot and the blocks evaluated are among the coalitions above.
//!
//! Agencies and locations are written by their ids, so the file reads
//! without the scenario; costs and sums as the shortest decimals that read
//! back to the same bits. `format` is [`POOL_SHARD_FORMAT`]: a reader
//! refuses another (format 1's shards drew no Shapley blocks).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::Scenario;
use crate::pool::Game;
use crate::pool::partition::{Block, Coalition, Structure};
use crate::pool::stratified_shapley::StratumSums;

/// The version of `pool_shard.toml` this sscsim writes and reads.
pub const POOL_SHARD_FORMAT: u32 = 2;

/// The contents of `pool_shard.toml`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PoolShardFile {
    /// [`POOL_SHARD_FORMAT`] when written.
    pub format: u32,
    /// The location options of the game, by id, in option order.
    pub locations: Vec<String>,
    /// The best structures found, cheapest first.
    #[serde(default, rename = "structure")]
    pub structures: Vec<FoundStructure>,
    /// Every coalition evaluated, in the order of its bits.
    #[serde(default, rename = "coalition")]
    pub coalitions: Vec<KnownCoalition>,
    /// The Shapley blocks drawn, in block order.
    #[serde(
        default,
        rename = "shapley_block",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub shapley_blocks: Vec<ShapleyBlock>,
}

/// One block of Shapley samples after the pilot: per stratum (player `i`,
/// position `k`, at `i · players + k`, players in the game's order).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ShapleyBlock {
    /// The block's number (1 is the first after the pilot).
    pub index: u64,
    /// Samples per stratum.
    pub count: Vec<u64>,
    /// Mean marginal cost per stratum, USD.
    pub mean_usd: Vec<f64>,
    /// Sum of squared deviations from the mean per stratum, USD².
    pub squared_deviations_usd2: Vec<f64>,
}

/// A structure found: its blocks and their summed mean NPV cost.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FoundStructure {
    /// Mean NPV cost of the structure, USD (its blocks' summed in order).
    pub cost_usd: f64,
    /// The blocks, in order of their lowest agency.
    pub blocks: Vec<FoundBlock>,
}

/// A block of a structure found: agencies at a location.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FoundBlock {
    /// The agencies' ids, in the game's player order.
    pub agencies: Vec<String>,
    /// The location's id.
    pub location: String,
}

/// A coalition evaluated and its mean NPV cost at each location option.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct KnownCoalition {
    /// The agencies' ids, in the game's player order.
    pub agencies: Vec<String>,
    /// Mean NPV cost over the replications at each option, USD, in the
    /// order of [`PoolShardFile::locations`].
    pub mean_cost_usd: Vec<f64>,
}

/// A shard's search, in the game's own terms: what
/// [`PoolShardFile`] holds by id.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolShardFound {
    /// The best structures found, cheapest first.
    pub structures: Vec<Structure>,
    /// Every coalition evaluated and its mean cost at each option.
    pub coalitions: Vec<(Coalition, Vec<f64>)>,
    /// The Shapley blocks drawn, by number, in block order.
    pub shapley_blocks: Vec<(u64, StratumSums)>,
}

/// Why a `pool_shard.toml` (or a shard's manifest) of `format` is not
/// read, and what to do.
pub fn format_refusal(format: u32) -> String {
    format!(
        "format {format} is not one this sscsim reads; expected format {POOL_SHARD_FORMAT}, \
         whose shards draw their part of the Shapley blocks: run the shards again with this \
         sscsim and `--shapley-blocks B`, and merge them with the same sscsim"
    )
}

impl PoolShardFile {
    /// The file of `found`, a search on `game`.
    pub fn new(scenario: &Scenario, game: &Game, found: &PoolShardFound) -> PoolShardFile {
        let ids = |coalition: Coalition| -> Vec<String> {
            (0..game.players.len())
                .filter(|i| coalition >> i & 1 == 1)
                .map(|i| scenario.agencies[game.players[i]].id.clone())
                .collect()
        };
        let location = |option: usize| scenario.locations[game.locations[option]].id.clone();
        let mut coalitions = found.coalitions.clone();
        coalitions.sort_by_key(|(c, _)| *c);
        PoolShardFile {
            format: POOL_SHARD_FORMAT,
            locations: (0..game.locations.len()).map(location).collect(),
            structures: found
                .structures
                .iter()
                .map(|s| FoundStructure {
                    cost_usd: s.cost,
                    blocks: s
                        .blocks
                        .iter()
                        .map(|b| FoundBlock {
                            agencies: ids(b.coalition),
                            location: location(b.option),
                        })
                        .collect(),
                })
                .collect(),
            coalitions: coalitions
                .into_iter()
                .map(|(c, mean_cost_usd)| KnownCoalition {
                    agencies: ids(c),
                    mean_cost_usd,
                })
                .collect(),
            shapley_blocks: found
                .shapley_blocks
                .iter()
                .map(|(index, sums)| ShapleyBlock {
                    index: *index,
                    count: sums.count().to_vec(),
                    mean_usd: sums.mean().to_vec(),
                    squared_deviations_usd2: sums.squared_deviations().to_vec(),
                })
                .collect(),
        }
    }

    /// The file as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("strings, numbers and lists always serialise")
    }

    /// Reads the file at `path` and puts it in `game`'s terms.
    ///
    /// # Errors
    /// A message naming the file when it cannot be read, is not TOML of
    /// this format, or names agencies or locations other than the game's.
    pub fn read(path: &Path, scenario: &Scenario, game: &Game) -> Result<PoolShardFound, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: PoolShardFile = toml::from_str(&text).map_err(|e| {
            format!(
                "{} is not a pool shard's file: {}",
                path.display(),
                e.message()
            )
        })?;
        file.found(scenario, game)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The file in `game`'s terms.
    ///
    /// # Errors
    /// When the format is not [`POOL_SHARD_FORMAT`], the locations are not
    /// the game's, an agency is not a player or is named twice in a
    /// coalition, a coalition is empty or has a cost per location of
    /// another number, a structure's blocks do not cover every player
    /// exactly once, or a Shapley block does not have one finite entry per
    /// stratum.
    pub fn found(&self, scenario: &Scenario, game: &Game) -> Result<PoolShardFound, String> {
        if self.format != POOL_SHARD_FORMAT {
            return Err(format_refusal(self.format));
        }
        let options: Vec<&str> = game
            .locations
            .iter()
            .map(|&l| scenario.locations[l].id.as_str())
            .collect();
        if self.locations != options {
            return Err(format!(
                "its locations are {}; expected the run's, {}",
                self.locations.join(", "),
                options.join(", ")
            ));
        }
        let players: HashMap<&str, usize> = game
            .players
            .iter()
            .enumerate()
            .map(|(i, &a)| (scenario.agencies[a].id.as_str(), i))
            .collect();
        let coalition = |agencies: &[String]| -> Result<Coalition, String> {
            let mut mask: Coalition = 0;
            for id in agencies {
                let bit = 1
                    << players
                        .get(id.as_str())
                        .ok_or_else(|| format!("`{id}` is not an agency of the run's game"))?;
                if mask & bit != 0 {
                    return Err(format!("agency `{id}` is named twice in one coalition"));
                }
                mask |= bit;
            }
            if mask == 0 {
                return Err("a coalition has no agency; expected at least one".into());
            }
            Ok(mask)
        };
        let all: Coalition = match game.players.len() {
            0 => 0,
            n => Coalition::MAX >> (Coalition::BITS as usize - n),
        };
        let structures =
            self.structures
                .iter()
                .map(|s| {
                    let mut covered: Coalition = 0;
                    let blocks =
                        s.blocks
                            .iter()
                            .map(|b| {
                                let c = coalition(&b.agencies)?;
                                if covered & c != 0 {
                                    return Err(
                                        "a structure has an agency in two blocks".to_owned()
                                    );
                                }
                                covered |= c;
                                let option =
                                    options.iter().position(|o| *o == b.location).ok_or_else(
                                        || format!("`{}` is not a location of the run", b.location),
                                    )?;
                                Ok(Block {
                                    coalition: c,
                                    option,
                                })
                            })
                            .collect::<Result<Vec<Block>, String>>()?;
                    if covered != all {
                        return Err(
                            "a structure leaves agencies out; expected every agency once".into(),
                        );
                    }
                    Ok(Structure {
                        cost: s.cost_usd,
                        blocks,
                    })
                })
                .collect::<Result<Vec<Structure>, String>>()?;
        let coalitions = self
            .coalitions
            .iter()
            .map(|k| {
                if k.mean_cost_usd.len() != options.len() {
                    return Err(format!(
                        "a coalition has {} costs; expected one per location, {}",
                        k.mean_cost_usd.len(),
                        options.len()
                    ));
                }
                Ok((coalition(&k.agencies)?, k.mean_cost_usd.clone()))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let shapley_blocks = self
            .shapley_blocks
            .iter()
            .map(|b| {
                StratumSums::from_block(
                    game.players.len(),
                    b.count.clone(),
                    b.mean_usd.clone(),
                    b.squared_deviations_usd2.clone(),
                )
                .map(|sums| (b.index, sums))
                .map_err(|e| format!("Shapley block {}: {e}", b.index))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(PoolShardFound {
            structures,
            coalitions,
            shapley_blocks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Costs read back as the same bits, whatever their digits: 0.1 + 0.2
    /// (0.30000000000000004), a third, the largest and the smallest
    /// positive normal double; and the file reads back as written.
    #[test]
    fn the_file_reads_back_bit_for_bit() {
        let costs = [0.1 + 0.2, 1.0 / 3.0, f64::MAX, f64::MIN_POSITIVE];
        let file = PoolShardFile {
            format: POOL_SHARD_FORMAT,
            locations: vec!["city".into(), "far".into()],
            structures: vec![FoundStructure {
                cost_usd: costs[0],
                blocks: vec![FoundBlock {
                    agencies: vec!["a".into(), "b".into()],
                    location: "far".into(),
                }],
            }],
            coalitions: vec![KnownCoalition {
                agencies: vec!["a".into()],
                mean_cost_usd: costs.to_vec(),
            }],
            shapley_blocks: vec![ShapleyBlock {
                index: 3,
                count: vec![0, 2, 7, 0],
                mean_usd: vec![0.0, -costs[1], costs[0], -0.0],
                squared_deviations_usd2: costs.to_vec(),
            }],
        };
        let text = file.to_toml();
        assert!(text.starts_with("format = 2\n"), "{text}");
        let back: PoolShardFile = toml::from_str(&text).unwrap();
        assert_eq!(back, file);
        let block = &back.shapley_blocks[0];
        let read = back.coalitions[0]
            .mean_cost_usd
            .iter()
            .chain(&block.mean_usd)
            .chain(&block.squared_deviations_usd2);
        let written = costs
            .iter()
            .chain(&file.shapley_blocks[0].mean_usd)
            .chain(&costs);
        for (read, written) in read.zip(written) {
            assert_eq!(read.to_bits(), written.to_bits());
        }
    }
}
