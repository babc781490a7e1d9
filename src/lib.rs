//! callfaq: the person who answers the phone finds the typical answer while the caller is still
//! talking, and every caller question is kept on the call record.
//!
//! ```text
//! knowledge/*.md ──knowledge::load──▶ Knowledge ──search::AnswerIndex::build──▶ Library
//!                                                                                 │
//!        library::Shelf (swaps a new Library in when a file changes) ◀────────────┘
//!                │
//! SQLite (store): calls, caller questions, outbox
//!        │                    │
//!        │                    └─ search::questions::Indexer ──▶ QuestionIndex (data/index)
//!        │                                                          │ linked phrasings
//!        ▼                                                          ▼
//!       web (routes, JSON API) ◀── Library::search (answers + evidence + audience)
//!        │
//!        └──▶ views (maud pages)
//! ```
//!
//! Modules in data-flow order:
//! - [`config`]: command line and `CALLFAQ_*` environment.
//! - [`knowledge`]: answer files → [`knowledge::Answer`]s, with every problem reported.
//! - [`calls`]: call records and caller questions; phone normal forms; import and export.
//! - [`store`]: the SQLite database, the only code that touches it.
//! - [`search`]: analyzers, keyboard layouts, query building, the answer index, the
//!   caller-question index and its indexer, snippets.
//! - [`library`]: the served snapshot (answers + index), the folder watcher, and ranking.
//! - [`desk`]: the desk standard: managers, topics, script phrases.
//! - [`app`]: everything a server holds, opened once.
//! - [`web`]: HTTP only; calls the core and hands plain data to [`views`].
//! - [`views`]: maud only; pages and components.
//! - [`i18n`]: every UI string, Russian and English.
//! - [`commands`]: what `callfaq serve | check | reindex | import | export` do.

pub mod accounts;
pub mod app;
pub mod calls;
pub mod commands;
pub mod config;
pub mod desk;
pub mod i18n;
pub mod knowledge;
pub mod library;
pub mod search;
pub mod store;
pub mod views;
pub mod web;
