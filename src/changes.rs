//! What a write changed, so the shell can tell the UI which views to re-read
//! instead of every screen guessing.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use specta::Type;

/// An area of the practice whose views may need re-reading.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Topic {
    /// The practice's settings.
    Practice,
    /// Client details.
    Clients,
    /// Offerings (package templates).
    Offerings,
    /// Packages, the ledger, sessions and payments: anything a balance shows.
    Packages,
}

/// The topics touched by the writes since the shell last asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct Changes {
    pub topics: Vec<Topic>,
}

#[derive(Debug, Default)]
pub(crate) struct ChangeSet(BTreeSet<Topic>);

impl ChangeSet {
    pub fn add(&mut self, topic: Topic) {
        self.0.insert(topic);
    }

    pub fn contains(&self, topic: Topic) -> bool {
        self.0.contains(&topic)
    }

    pub fn extend(&mut self, other: ChangeSet) {
        self.0.extend(other.0);
    }

    pub fn take(&mut self) -> Changes {
        Changes {
            topics: std::mem::take(&mut self.0).into_iter().collect(),
        }
    }
}
