//! callfaq: the person who answers the phone finds the typical answer while the caller is still
//! talking, and every caller question is kept on the call record.
//!
//! ```text
//! knowledge/*.md ──knowledge::load──▶ Knowledge ──search::AnswerIndex::build──▶ Library
//!                                                                                 │
//!        library::Shelf (jobs::watcher swaps a new Library in when a file changes) ◀┘
//!                │
//! SQLite (store): calls, callbacks, notices, caller questions, links, groups, day counts,
//! searches, accounts, audit
//!   │        │                │                           │
//!   │        │                │ linked questions           │ unlinked questions
//!   │        │                ▼                           ▼
//!   │        │   learn::Learner (jobs::trainer,     grouping (actions::placement,
//!   │        │   online steps via jobs::indexer)    run by jobs::placement): typical questions
//!   │        │                │
//!   │        ▼                ▼
//!   │     actions ◀── actions::search (answers' text + learned ranking + meaning + audience)
//!   │    ▲       ▲  ◀── actions::pbx ◀── pbx adapters ◀── the phone exchange (webhooks, AMI)
//!   │   web    commands        (each page, API route and command: one action call)
//!   │    └──▶ views (maud pages) ◀── pbx::screens: ringing calls streamed to every open page
//!   └──▶ report (day counts → question frequency, desk figures, CSV, cheat sheet)
//! ```
//!
//! Modules in data-flow order:
//! - [`config`]: command line and `CALLFAQ_*` environment.
//! - [`clock`]: the desk's time zone: today, day bounds, ISO weeks, times on pages.
//! - [`signal`]: how background work is woken, and the one stop every long computation heeds.
//! - [`numeric`]: dot products, softmax, seeded shuffles and atomic file writes, written once.
//! - [`text`]: how a text becomes words and stems, for every module that reads text.
//! - [`fields`]: invalid input named by field, said by `i18n` in the interface's language.
//! - [`knowledge`]: answer files → [`knowledge::Answer`]s, with every problem reported.
//! - [`calls`]: call records and caller questions; phone normal forms; import and export lines.
//! - [`callbacks`]: the promised callback: one per caller, owned, due in working time, chased.
//! - [`notices`]: e-mails and signed webhooks that arrive without anyone looking.
//! - [`pbx`]: the phone exchange's word on calls (ringing, answered, ended), one model for
//!   Zadarma, Mango Office, ITooLabs, Asterisk (AMI) and a generic JSON form; which adapters are
//!   on and their secrets; the hub that hands ringing calls to the operators' open pages.
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
//! - [`desk`]: the desk standard: topics, working hours, notices' settings, script phrases.
//! - [`app`]: everything a server holds, opened once, with the signals its jobs wait on.
//! - [`actions`]: what users do, one function each for the pages and the command line: checks,
//!   writes through the store, audit line, the job woken.
//! - [`jobs`]: background loops: indexer, trainer, placement, embedding, watcher, report counts,
//!   retention, notices, and the Asterisk feed.
//! - [`i18n`]: every UI string, Russian and English.
//! - [`paths`]: every URL, spelled once.
//! - [`web`]: HTTP only: the route table with each route's role, handlers that call an action.
//! - [`listener`]: accepts connections with limits and timeouts, serves the router, stops gracefully.
//! - [`views`]: maud only; pages and components.
//! - [`commands`]: what each `callfaq` command does.

pub mod accounts;
pub mod actions;
pub mod app;
pub mod callbacks;
pub mod calls;
pub mod clock;
pub mod commands;
pub mod config;
pub mod desk;
pub mod encoder;
pub mod fields;
pub mod grouping;
pub mod i18n;
pub mod jobs;
pub mod knowledge;
pub mod learn;
pub mod library;
pub mod listener;
pub mod meaning;
pub mod notices;
pub mod numeric;
pub mod paths;
pub mod pbx;
pub mod report;
pub mod search;
pub mod signal;
pub mod store;
pub mod text;
pub mod views;
pub mod web;
