//! What users do, one file per family, between the app and its two front-ends (`web` and
//! `commands`): each action is a plain synchronous function over `&App` and the [`Actor`] who
//! acts. It checks its input against the knowledge and the store, writes through the store,
//! writes its audit line, wakes the job that follows up, and returns one [`ActionError`] that
//! names what went wrong. No HTTP, no HTML: a page, the JSON API and the command line doing the
//! same thing call the same function.
//!
//! - [`answers`]: the editors' workbench (save, restore, retire, rename, reviewed) and the
//!   form of an answer;
//! - [`calls`]: call records and caller questions (open, change, log, link, delete, read);
//! - [`callbacks`]: promised callbacks (opened from a call, tried, handed over, closed) and
//!   their notices;
//! - [`groups`]: the editors' queue of typical questions (link, merge, split, move, dismiss,
//!   write an answer);
//! - [`accounts`]: logins, sessions, passwords, accounts and machine tokens;
//! - [`search`]: the one search entry (words, history and meaning), and the search log;
//! - [`pbx`]: the phone exchange's events (a call rings, is answered, ends): call records,
//!   missed calls' callbacks, the operators' screens; whose client is calling;
//! - [`history`]: a history learned at once, after an import, so that it counts from the first
//!   search;
//! - [`placement`]: where each caller question goes (its answer, a confident match, a group),
//!   for the placement job and `callfaq regroup`;
//! - [`reports`]: the head of sales' reports and the cheat sheet, exports audited.

pub mod accounts;
pub mod answers;
pub mod callbacks;
pub mod calls;
pub mod groups;
pub mod history;
pub mod pbx;
pub mod placement;
pub mod reports;
pub mod search;

use crate::accounts::{Principal, Role};
use crate::app::App;
use crate::fields::FieldError;
use crate::knowledge::edit::Source;
use crate::knowledge::Problem;

/// Who acts: a person signed in, a machine with a token, or the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// What the audit log records: a login, `token:NAME`, or `cli`.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The login of a person in the browser (not a machine token, not the command line).
    pub person: Option<String>,
}

impl Actor {
    /// The principal of a request that passed the guard.
    pub fn of(principal: &Principal) -> Actor {
        Actor {
            name: principal.name.clone(),
            role: principal.role,
            person: principal.csrf.is_some().then(|| principal.name.clone()),
        }
    }

    /// A person signed in as `login`.
    pub fn person(login: &str, role: Role) -> Actor {
        Actor {
            name: login.to_string(),
            role,
            person: Some(login.to_string()),
        }
    }

    /// The command line, run by whoever may run it on the server: an admin.
    pub fn cli() -> Actor {
        Actor {
            name: "cli".to_string(),
            role: Role::Admin,
            person: None,
        }
    }

    /// The name a record shows for who did it: the person's login, or a machine token's name
    /// (`pbx` for `token:pbx`); `None` for the command line.
    pub fn recorded_name(&self) -> Option<String> {
        match (&self.person, self.name.strip_prefix("token:")) {
            (Some(login), _) => Some(login.clone()),
            (None, Some(token)) => Some(token.to_string()),
            (None, None) => None,
        }
    }

    /// Refuses an actor whose role is below `role`.
    pub fn require(&self, role: Role) -> Result<()> {
        if self.role.allows(role) {
            Ok(())
        } else {
            Err(ActionError::Forbidden(self.role))
        }
    }

    /// Writes an audit line; a failure to write it is logged and does not undo the action,
    /// which is done.
    pub fn audit(&self, app: &App, action: &str, subject: impl AsRef<str>) {
        if let Err(e) = app.store.audit(&self.name, action, subject.as_ref(), None) {
            tracing::error!("audit log: {e:#}");
        }
    }
}

pub use crate::fields::Thing;

/// Why an action was not done. Each front-end says it in its own way (a status and a message
/// in the interface's language, a line on the console).
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The thing acted on does not exist.
    #[error("no {0:?} {1}")]
    NotFound(Thing, String),
    /// A field of the input is invalid.
    #[error("{0}")]
    Invalid(FieldError),
    /// An answer changed since the editor opened it (or exists, for a new one): here it is now.
    #[error("the answer changed since it was opened")]
    Conflict(Option<Source>),
    /// An answer's text breaks the rules of `callfaq check`.
    #[error("the answer has problems")]
    Rejected(Vec<Problem>),
    /// The call holds the most questions a call may hold.
    #[error("call {0} is full")]
    CallFull(i64),
    /// The actor (of this role) may not do this.
    #[error("not allowed for {0:?}")]
    Forbidden(Role),
    /// A manager's callback another manager tried to change: whose it is now (by the name the
    /// desk knows them by), or nobody's.
    #[error("another manager's callback")]
    NotTheOwner(Option<String>),
    /// What a phone exchange's adapter refused to read (a signature, a body, a field).
    #[error("exchange: {0}")]
    Exchange(#[from] crate::pbx::PbxError),
    /// An exchange's adapter is off, or on without its secret.
    #[error("exchange closed: {0:?}")]
    ExchangeClosed(crate::pbx::settings::Closed),
    /// A body over this many bytes.
    #[error("a body over {0} bytes")]
    TooLarge(usize),
    /// Disk or database trouble: our fault.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl ActionError {
    /// A missing thing, by its id or slug (clipped: it may be anything a visitor typed).
    pub fn not_found(thing: Thing, id: impl ToString) -> ActionError {
        ActionError::NotFound(thing, crate::text::clip(&id.to_string(), 200).into_owned())
    }
}

impl From<FieldError> for ActionError {
    fn from(e: FieldError) -> ActionError {
        ActionError::Invalid(e)
    }
}

impl From<crate::calls::CallFull> for ActionError {
    fn from(e: crate::calls::CallFull) -> ActionError {
        ActionError::CallFull(e.call_id)
    }
}

/// What an action returns.
pub type Result<T> = std::result::Result<T, ActionError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actor_records_a_person_or_a_token_by_name_and_is_held_to_its_role() {
        let principal = Principal {
            name: "token:pbx".into(),
            role: Role::Operator,
            csrf: None,
            must_change_password: false,
            display_name: None,
        };
        let machine = Actor::of(&principal);
        assert_eq!(machine.person, None);
        assert_eq!(machine.recorded_name().as_deref(), Some("pbx"));
        assert!(matches!(
            machine.require(Role::Editor),
            Err(ActionError::Forbidden(Role::Operator))
        ));
        let person = Actor::of(&Principal {
            name: "anna".into(),
            csrf: Some("x".into()),
            ..principal
        });
        assert_eq!(person.recorded_name().as_deref(), Some("anna"));
        assert_eq!(Actor::cli().recorded_name(), None);
        assert!(Actor::cli().require(Role::Admin).is_ok());
    }
}

/// An app over a copy of the test fixtures' knowledge folder and an empty data folder, for
/// the actions' own tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::app::App;
    use crate::clock::Clock;
    use std::path::Path;

    /// The app and the folder that holds its files.
    pub struct Opened {
        /// The opened app.
        pub app: App,
        /// Removed when dropped.
        pub _root: tempfile::TempDir,
    }

    /// Opens the app over a copy of `tests/fixtures/knowledge`.
    pub fn app() -> Opened {
        let root = tempfile::tempdir().unwrap();
        let knowledge = root.path().join("knowledge");
        copy(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/knowledge"),
            &knowledge,
        );
        let clock = Clock::new(crate::clock::parse_zone(crate::clock::DEFAULT_TIME_ZONE).unwrap());
        let app = App::open(&knowledge, &root.path().join("data"), clock).unwrap();
        Opened { app, _root: root }
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
}
