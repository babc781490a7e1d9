//! callfaq: the person who answers the phone finds the typical answer while the caller is still
//! talking, and every caller question is kept on the call record.
//!
//! ```text
//! knowledge/*.md ──knowledge::load──▶ Knowledge ──search::AnswerIndex::build──▶ Library
//!                                                                                 │
//!        library::Shelf (jobs::watcher swaps a new Library in when a file changes) ◀┘
//!                │
//! SQLite (store): calls, caller questions, links, groups, day counts, searches, accounts, audit
//!   │        │                │                           │
//!   │        │                │ linked questions           │ unlinked questions
//!   │        │                ▼                           ▼
//!   │        │   learn::Learner (jobs::trainer,     grouping (jobs::grouper):
//!   │        │   online steps via jobs::indexer)    typical questions without an answer
//!   │        │                │
//!   │        ▼                ▼
//!   │       web ◀── Library::search (answers' text + learned ranking + the call's audience)
//!   │        │
//!   │        └──▶ views (maud pages)
//!   └──▶ report (day counts → question frequency, desk figures, CSV, cheat sheet)
//! ```
//!
//! Modules in data-flow order:
//! - [`config`]: command line and `CALLFAQ_*` environment.
//! - [`clock`]: the desk's time zone: today, day bounds, ISO weeks, times on pages.
//! - [`text`]: how a text becomes words and stems, for every module that reads text.
//! - [`fields`]: invalid input named by field, said by `i18n` in the interface's language.
//! - [`knowledge`]: answer files → [`knowledge::Answer`]s, with every problem reported.
//! - [`calls`]: call records and caller questions; phone normal forms; import and export lines.
//! - [`pbx`]: the phone exchange's word on calls (ringing, answered, ended), one model for
//!   Zadarma, Mango Office, ITooLabs, Asterisk (AMI) and a generic JSON form.
//! - [`accounts`]: roles, passwords, secrets, login slowing, audit lines.
//! - [`store`]: the SQLite database, one file per table, the only code that touches it.
//! - [`encoder`]: the sentence model: a text as a vector of what it means.
//! - [`learn`]: the model of which answer a question means, learned from linked questions.
//! - [`grouping`]: caller questions into typical questions, online, with editors' decisions kept.
//! - [`search`]: analyzers, keyboard layouts, query building, the answer index, the
//!   caller-question index, snippets.
//! - [`meaning`]: the sentence model in service and the vectors of the answers' phrasings.
//! - [`library`]: the served snapshot (answers + index), ranking, the most asked answers.
//! - [`report`]: question frequency, desk figures, their spreadsheets, the cheat sheet.
//! - [`desk`]: the desk standard: managers, topics, script phrases.
//! - [`editing`]: the editors' workbench: answers changed from the browser, with their history.
//! - [`app`]: everything a server holds, opened once.
//! - [`jobs`]: background work: indexer, trainer, grouping, watcher, report counts, retention.
//! - [`i18n`]: every UI string, Russian and English.
//! - [`paths`]: every URL, spelled once.
//! - [`web`]: HTTP only: the route table with each route's role, handlers that call the core.
//! - [`views`]: maud only; pages and components.
//! - [`commands`]: what each `callfaq` command does.

pub mod accounts;
pub mod app;
pub mod calls;
pub mod clock;
pub mod commands;
pub mod config;
pub mod desk;
pub mod editing;
pub mod encoder;
pub mod fields;
pub mod grouping;
pub mod i18n;
pub mod jobs;
pub mod knowledge;
pub mod learn;
pub mod library;
pub mod meaning;
pub mod paths;
pub mod pbx;
pub mod report;
pub mod search;
pub mod store;
pub mod text;
pub mod views;
pub mod web;
