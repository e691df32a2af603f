//! What every section of a scenario file uses to validate itself: every
//! check of meaning, with every problem reported at its position, all in
//! one pass.
//!
//! Each section of the file validates itself into its model type, next to
//! its raw type (`scenario/settings.rs`, `scenario/agency.rs`, …). What the
//! sections share lives here, below them: the [`Validator`], which collects
//! every problem and registers every uncertain input as it is read; the
//! checks of single values and of ids; the hard [`limits`] and the
//! [`plausible`] ranges beyond which a valid value is warned of; and the parts
//! of the model that later sections refer to ([`World`], [`Context`]). The
//! composition of the sections into a scenario is above them, in
//! `scenario/file.rs`.

mod ids;
mod limits;
mod plausible;
mod validator;
mod values;

pub(super) use ids::Ids;
pub(super) use limits::*;
pub(super) use validator::{Named, Validator};
pub(super) use values::WeightWords;

use crate::model::{Agency, CentreDefaults, Location, Mechanisms, ServiceLine, Transition};

/// The service lines and locations, validated, with the ids that name them:
/// what agencies refer to.
pub(super) struct World {
    pub service_lines: Vec<ServiceLine>,
    pub locations: Vec<Location>,
    pub line_ids: Ids,
    pub location_ids: Ids,
}

/// The parts of the model strategies and the pool refer to.
pub(super) struct Context<'a> {
    pub service_lines: &'a [ServiceLine],
    pub locations: &'a [Location],
    pub agencies: &'a [Agency],
    pub line_ids: &'a Ids,
    pub location_ids: &'a Ids,
    pub agency_ids: &'a Ids,
    pub mechanisms: &'a Mechanisms,
    /// What every centre is given unless it says otherwise.
    pub centre_defaults: CentreDefaults,
    pub transition: &'a Transition,
    pub horizon_months: u32,
}
