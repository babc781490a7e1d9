//! Command line and environment: one clap struct. Every flag has a `CALLFAQ_*` variable and works
//! before or after the command's name.

use crate::accounts::Role;
use crate::i18n::Lang;
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// callfaq: find the typical answer while the caller is still talking.
#[derive(Debug, Parser)]
#[command(name = "callfaq", version, about, long_about = None)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the search pages and the JSON API (the default).
    Serve,
    /// Validate the knowledge folder: one line per problem (`path:line: message`), exit 1 if any.
    Check,
    /// Rebuild the search indexes (answers, and caller questions from the database).
    Reindex,
    /// Rebuild every group of caller questions from the whole history, keeping what editors
    /// decided (stop the server first).
    Regroup,
    /// Load historical calls from a JSON-lines file (one call a line); refused whole if a line is bad.
    Import {
        /// The file, one JSON object a line: `started_at`, the call's fields, `questions`.
        file: PathBuf,
        /// Load the good lines and skip the bad ones (each still reported).
        #[arg(long)]
        skip_bad: bool,
        /// Import a file that was imported before (by default the same file is refused).
        #[arg(long)]
        again: bool,
    },
    /// Write every call with its questions as JSON lines (the format `import` reads).
    Export {
        /// Where to write; standard output when omitted.
        file: Option<PathBuf>,
    },
    /// Staff accounts: add, change password, list, disable.
    User {
        /// What to do.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Tokens for machines such as the phone exchange (`Authorization: Bearer TOKEN`).
    Token {
        /// What to do.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Measure search and grouping quality on labelled question sets (JSON lines of text, label).
    Eval {
        /// What to measure.
        #[command(subcommand)]
        what: EvalWhat,
    },
    /// Distil static word vectors from the sentence model (`--model`): every vocabulary piece
    /// through the encoder once, PCA, SIF weights, 8-bit rows; writes the table the keystroke
    /// path can weigh meaning with.
    Distill {
        /// Where to write the table.
        #[arg(long, default_value = crate::encoder::words::DEFAULT_PATH, value_name = "FILE")]
        out: PathBuf,
        /// Numbers per piece (the first principal axes; at most 384).
        #[arg(long, default_value_t = 192)]
        dims: usize,
        /// SIF's `a`: a piece of probability p weighs a / (a + p); 0 weighs all alike.
        #[arg(long, default_value_t = 1e-4)]
        sif: f32,
        /// How a piece is put through the encoder: `token` (its own state after the question
        /// prefix) or `sentence` (the sentence vector of the piece alone).
        #[arg(long, default_value = "token", value_parser = ["token", "sentence"])]
        context: String,
        /// Threads to encode on (all the processors by default).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Write a consistent copy of the database to FILE, also while the server runs.
    Backup {
        /// Where to write the copy (replaced if it exists).
        file: PathBuf,
    },
    /// Put a backup in place of the database (the server must be stopped); the index is rebuilt.
    Restore {
        /// A file written by `callfaq backup`.
        file: PathBuf,
    },
    /// Erase one caller's personal data (name, phone, company, notes) on request; their
    /// questions, links and counts stay.
    Purge {
        /// The caller's phone number, in any format.
        #[arg(long)]
        phone: String,
    },
}

/// `callfaq eval ...`
#[derive(Debug, Clone, Subcommand)]
pub enum EvalWhat {
    /// Train texts become caller questions linked to their label's answer; each test text is
    /// searched; prints accuracy@1, recall@5 and MRR.
    Retrieval {
        /// The history: JSON lines of `{"text", "label"}` (needed without `--answers`).
        #[arg(long)]
        train: Option<PathBuf>,
        /// The queries, in the same format.
        #[arg(long)]
        test: PathBuf,
        /// Search the answers of this knowledge folder (the labels are their slugs) instead
        /// of one neutral answer per label; a plain full-text engine is measured beside.
        #[arg(long, value_name = "DIR")]
        answers: Option<PathBuf>,
    },
    /// The texts arrive one by one without labels and are grouped; prints NMI, ARI and counts.
    Grouping {
        /// JSON lines of `{"text", "label"}`, in arrival order.
        #[arg(long)]
        input: PathBuf,
    },
}

/// `callfaq user ...`
#[derive(Debug, Clone, Subcommand)]
pub enum UserAction {
    /// Add an account; its password is read from standard input.
    Add {
        /// Login name.
        login: String,
        /// operator (search, calls), manager (+ callbacks), editor (+ answers, grouping), head (+ reports), admin (+ accounts, tokens, audit).
        #[arg(long)]
        role: Role,
        /// The name shown on call cards and in notices (a manager's «Михаил Петров»).
        #[arg(long)]
        name: Option<String>,
        /// Where notices go.
        #[arg(long)]
        email: Option<String>,
        /// The phone extension the exchange rings.
        #[arg(long)]
        extension: Option<String>,
    },
    /// Set an account's password, read from standard input; its sessions end.
    Passwd {
        /// Login name.
        login: String,
    },
    /// List the accounts.
    List,
    /// Disable an account; its sessions end.
    Disable {
        /// Login name.
        login: String,
    },
}

/// `callfaq token ...`
#[derive(Debug, Clone, Subcommand)]
pub enum TokenAction {
    /// Create a token; it is printed once, as the last line (only its hash is kept).
    Create {
        /// A name to recognise and revoke it by, such as `pbx`.
        #[arg(long)]
        name: String,
        /// What it may do: operator, editor, head or admin.
        #[arg(long)]
        role: Role,
    },
    /// Revoke the token with this name.
    Revoke {
        /// Its name.
        name: String,
    },
}

/// Settings shared by every command.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Folder of answer files (`*.md` with TOML front matter).
    #[arg(
        long,
        env = "CALLFAQ_KNOWLEDGE",
        default_value = "knowledge",
        global = true,
        value_name = "DIR"
    )]
    pub knowledge: PathBuf,
    /// Folder for the database and the search index; created if missing.
    #[arg(
        long,
        env = "CALLFAQ_DATA",
        default_value = "data",
        global = true,
        value_name = "DIR"
    )]
    pub data: PathBuf,
    /// Address and port the server listens on.
    #[arg(
        long,
        env = "CALLFAQ_BIND",
        default_value = "127.0.0.1:8080",
        global = true,
        value_name = "ADDR"
    )]
    pub bind: SocketAddr,
    /// Language of the user interface.
    #[arg(
        long,
        env = "CALLFAQ_LANG",
        default_value = "ru",
        global = true,
        value_enum
    )]
    pub lang: Lang,
    /// Days a call keeps the caller's name, phone, company and notes; 0 keeps them forever.
    #[arg(
        long,
        env = "CALLFAQ_RETENTION_DAYS",
        default_value_t = 365,
        global = true,
        value_name = "DAYS"
    )]
    pub retention_days: u32,
    /// The sentence model file; without it search goes by words and the linked history alone.
    #[arg(
        long,
        env = "CALLFAQ_MODEL",
        default_value = crate::encoder::DEFAULT_PATH,
        global = true,
        value_name = "FILE"
    )]
    pub model: std::path::PathBuf,
    /// The static word vectors distilled from the sentence model, which weigh what the text
    /// means on every keystroke; without them keystrokes go by words and the linked history.
    #[arg(
        long,
        env = "CALLFAQ_WORD_VECTORS",
        default_value = crate::encoder::words::DEFAULT_PATH,
        global = true,
        value_name = "FILE"
    )]
    pub word_vectors: std::path::PathBuf,
    /// Answers whose `reviewed` date is this many days old or more are listed for editors.
    #[arg(
        long,
        env = "CALLFAQ_REVIEW_DAYS",
        default_value_t = crate::app::REVIEW_DAYS,
        global = true,
        value_name = "DAYS"
    )]
    pub review_days: u32,
    /// The desk's time zone (an IANA name): "today", day bounds, weeks and the times on pages.
    #[arg(
        long,
        env = "CALLFAQ_TIME_ZONE",
        default_value = crate::clock::DEFAULT_TIME_ZONE,
        global = true,
        value_name = "ZONE",
        value_parser = crate::clock::parse_zone
    )]
    pub time_zone: Tz,
    /// Most connections open at once; past it new ones wait for one to close.
    #[arg(
        long,
        env = "CALLFAQ_MAX_CONNECTIONS",
        default_value_t = 512,
        global = true,
        value_name = "N"
    )]
    pub max_connections: usize,
    /// Most connections open at once from one address; one more is closed at once.
    #[arg(
        long,
        env = "CALLFAQ_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = 128,
        global = true,
        value_name = "N"
    )]
    pub max_connections_per_address: usize,
    /// Seconds a client has to send a request's head; also the longest a new connection may
    /// stay silent.
    #[arg(
        long,
        env = "CALLFAQ_HEADER_TIMEOUT",
        default_value_t = 10,
        global = true,
        value_name = "SECONDS"
    )]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body (`408` past it).
    #[arg(
        long,
        env = "CALLFAQ_BODY_TIMEOUT",
        default_value_t = 15,
        global = true,
        value_name = "SECONDS"
    )]
    pub body_timeout: u64,
    /// Follow calls on an Asterisk or FreePBX through its manager interface (AMI) at
    /// `HOST:PORT` (usually port 5038); the manager user's secret is read from
    /// `CALLFAQ_AMI_SECRET`.
    #[arg(long, env = "CALLFAQ_AMI", global = true, value_name = "HOST:PORT")]
    pub ami: Option<String>,
    /// The `manager.conf` user callfaq logs in to the AMI as.
    #[arg(
        long,
        env = "CALLFAQ_AMI_USER",
        default_value = "callfaq",
        global = true,
        value_name = "USER"
    )]
    pub ami_user: String,
    /// Seconds a kept-alive connection may stay silent before it is closed.
    #[arg(
        long,
        env = "CALLFAQ_IDLE_TIMEOUT",
        default_value_t = 60,
        global = true,
        value_name = "SECONDS"
    )]
    pub idle_timeout: u64,
}

impl Config {
    /// The connection limits of the server.
    pub fn limits(&self) -> Limits {
        Limits {
            max_connections: self.max_connections.max(1),
            max_per_address: self.max_connections_per_address.max(1),
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            body_timeout: Duration::from_secs(self.body_timeout.max(1)),
            idle_timeout: Duration::from_secs(self.idle_timeout.max(1)),
        }
    }

    /// The desk's clock.
    pub fn clock(&self) -> crate::clock::Clock {
        crate::clock::Clock::new(self.time_zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_work_before_and_after_the_command() {
        let before = Cli::try_parse_from(["callfaq", "--lang", "en", "check"]).unwrap();
        let after =
            Cli::try_parse_from(["callfaq", "check", "--lang", "en", "--data", "/tmp/x"]).unwrap();
        assert_eq!(before.config.lang, Lang::En);
        assert_eq!(after.config.lang, Lang::En);
        assert_eq!(after.config.data, PathBuf::from("/tmp/x"));
        assert!(matches!(after.command, Some(Command::Check)));
    }

    #[test]
    fn a_bad_time_zone_is_a_clear_error() {
        let error = Cli::try_parse_from(["callfaq", "--time-zone", "Mars/Olympus"]).unwrap_err();
        assert!(error.to_string().contains("IANA"), "{error}");
        let cli = Cli::try_parse_from(["callfaq", "--time-zone", "Asia/Novosibirsk"]).unwrap();
        assert_eq!(cli.config.time_zone.name(), "Asia/Novosibirsk");
    }

    #[test]
    fn the_ami_address_and_user_follow_the_serve_command() {
        let cli = Cli::try_parse_from([
            "callfaq",
            "serve",
            "--ami",
            "pbx.local:5038",
            "--ami-user",
            "desk",
        ])
        .unwrap();
        assert_eq!(cli.config.ami.as_deref(), Some("pbx.local:5038"));
        assert_eq!(cli.config.ami_user, "desk");
        let plain = Cli::try_parse_from(["callfaq", "serve"]).unwrap();
        assert_eq!(
            (plain.config.ami, plain.config.ami_user.as_str()),
            (None, "callfaq")
        );
    }

    #[test]
    fn no_command_means_serve_with_defaults() {
        let cli = Cli::try_parse_from(["callfaq"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(cli.config.time_zone.name(), "Europe/Moscow");
    }
}

/// The connection limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Most connections open at once from one address.
    pub max_per_address: usize,
    /// Time to send a whole request head.
    pub header_timeout: Duration,
    /// Time to send a whole request body.
    pub body_timeout: Duration,
    /// Time a kept-alive connection may stay silent.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    /// What suits a desk on a LAN: a browser sends a request at once, and a few dozen operators
    /// keep a few connections each.
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            max_per_address: 128,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(60),
        }
    }
}
