//! An answer's history, as the editors' workbench and the store speak of it: each version of
//! the file ([`Revision`]), how it came to be ([`How`]), and a new one to record
//! ([`NewRevision`]). The store keeps them; `editing` writes them; the pages show them.

use chrono::{DateTime, Utc};

/// How a version came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The file as first seen by callfaq.
    Loaded,
    /// Saved from the browser or the API.
    Saved,
    /// A new answer written from the browser or the API.
    Created,
    /// Changed (or removed) on disk, by a text editor or `git pull`, seen by the watcher.
    Disk,
    /// An earlier version put back.
    Restored,
    /// Taken out of search; the file removed, the history kept.
    Retired,
    /// Moved to another slug.
    Renamed,
    /// Its review date set to today.
    Reviewed,
}

impl How {
    /// Every way, in the stored words' order.
    pub const ALL: [How; 8] = [
        How::Loaded,
        How::Saved,
        How::Created,
        How::Disk,
        How::Restored,
        How::Retired,
        How::Renamed,
        How::Reviewed,
    ];

    /// The stored (and API) word.
    pub fn as_str(self) -> &'static str {
        match self {
            How::Loaded => "loaded",
            How::Saved => "saved",
            How::Created => "created",
            How::Disk => "disk",
            How::Restored => "restored",
            How::Retired => "retired",
            How::Renamed => "renamed",
            How::Reviewed => "reviewed",
        }
    }

    /// From the stored word.
    pub fn parse(word: &str) -> Option<How> {
        How::ALL.into_iter().find(|h| h.as_str() == word)
    }
}

/// One version of an answer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Its id, in time order.
    pub id: i64,
    /// The answer's slug (the current one, after a rename).
    pub slug: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (an account's login); `None` for the disk.
    pub by: Option<String>,
    /// How.
    pub how: How,
    /// The whole file; `None` when the file was removed.
    pub text: Option<String>,
    /// The text's fingerprint.
    pub version: Option<String>,
    /// What else there is to say: the old slug of a rename, the version restored.
    pub note: Option<String>,
}

/// A new version to record.
#[derive(Debug, Clone, Copy)]
pub struct NewRevision<'a> {
    /// The answer.
    pub slug: &'a str,
    /// Who.
    pub by: Option<&'a str>,
    /// How.
    pub how: How,
    /// The file, `None` when removed.
    pub text: Option<&'a str>,
    /// Its fingerprint.
    pub version: Option<&'a str>,
    /// A note.
    pub note: Option<&'a str>,
}
