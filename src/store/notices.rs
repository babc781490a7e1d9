//! The outbox of notices (`notices`): each waits here until it is sent, so that a restart or a
//! dead relay loses none; its key is its event's, so that it is enqueued (and sent) once.

use super::rows::parse_stamp;
use super::{stamp, Store};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::params;

/// Through which channel a notice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// An e-mail to one address.
    Email,
    /// The webhook.
    Webhook,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
}

/// A notice to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its id.
    pub id: i64,
    /// Its event's key (and the address's, for an e-mail): sent once.
    pub key: String,
    /// E-mail or webhook.
    pub channel: Channel,
    /// The address (the webhook's: `webhook`).
    pub recipient: String,
    /// An e-mail's subject (the webhook's event).
    pub subject: String,
    /// The text, or the webhook's JSON.
    pub body: String,
    /// Tries so far.
    pub attempts: i64,
}

/// A notice that keeps failing, for the admin page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failing {
    /// E-mail or webhook.
    pub channel: String,
    /// How many wait.
    pub waiting: i64,
    /// The most tries any of them had.
    pub attempts: i64,
    /// What the relay said last.
    pub last_error: Option<String>,
    /// When the oldest waiting one was made.
    pub since: DateTime<Utc>,
}

/// A notice to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Its event's key (and the address's, for an e-mail): enqueued and sent once.
    pub key: String,
    /// E-mail or webhook.
    pub channel: Channel,
    /// The address (the webhook's: `webhook`).
    pub recipient: String,
    /// An e-mail's subject (the webhook's event).
    pub subject: String,
    /// The text, or the webhook's JSON.
    pub body: String,
}

/// The notices a change to a callback gives, made from the callback as the change leaves it
/// and enqueued in the change's own transaction: a change saved is never a notice lost.
#[derive(Clone, Copy, Default)]
pub struct Tell<'a>(pub Option<&'a NoticesOf<'a>>);

/// What makes a change's notices from the callback as it leaves it.
pub type NoticesOf<'a> = dyn Fn(&crate::callbacks::Callback) -> Vec<Outgoing> + 'a;

impl std::fmt::Debug for Tell<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Tell(..)"
        } else {
            "Tell(none)"
        })
    }
}

/// Enqueues a notice on `conn` unless one with the same key was (ever) enqueued; whether it
/// was new.
pub(super) fn insert(
    conn: &rusqlite::Connection,
    notice: &Outgoing,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO notices (key, channel, recipient, subject, body, created_at, next_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        )?
        .execute(params![
            notice.key,
            notice.channel.as_str(),
            notice.recipient,
            notice.subject,
            notice.body,
            stamp(now)
        ])
        .context("enqueueing a notice")?;
    Ok(n > 0)
}

impl Store {
    /// Enqueues a notice unless one with the same key was (ever) enqueued; whether it was new.
    pub fn enqueue_notice(&self, notice: &Outgoing, now: DateTime<Utc>) -> Result<bool> {
        insert(&self.lock(), notice, now)
    }

    /// Notices not sent yet whose time to try has come, oldest first.
    pub fn notices_due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Notice>> {
        self.read()
            .prepare_cached(
                "SELECT id, key, channel, recipient, subject, body, attempts FROM notices \
                 WHERE sent_at IS NULL AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2",
            )?
            .query_map(params![stamp(now), limit as i64], |r| {
                let channel: String = r.get(2)?;
                Ok(Notice {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    channel: if channel == "webhook" {
                        Channel::Webhook
                    } else {
                        Channel::Email
                    },
                    recipient: r.get(3)?,
                    subject: r.get(4)?,
                    body: r.get(5)?,
                    attempts: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()
            .context("reading the notices due")
    }

    /// Marks a notice sent.
    pub fn notice_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE notices SET sent_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                params![id, stamp(now)],
            )
            .context("marking a notice sent")?;
        Ok(())
    }

    /// Records a failed try and when to try again.
    pub fn notice_failed(&self, id: i64, error: &str, retry_at: DateTime<Utc>) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE notices SET attempts = attempts + 1, last_error = ?2, next_at = ?3 WHERE id = ?1",
                params![id, crate::text::clip(error, 500), stamp(retry_at)],
            )
            .context("recording a failed notice")?;
        Ok(())
    }

    /// Channels whose notices keep failing (three tries or more, not sent), for the admin page.
    pub fn failing_notices(&self) -> Result<Vec<Failing>> {
        self.read()
            .prepare_cached(
                "SELECT channel, COUNT(*), MAX(attempts), \
                 (SELECT last_error FROM notices n2 WHERE n2.channel = n.channel AND n2.sent_at IS NULL \
                  ORDER BY attempts DESC, id DESC LIMIT 1), MIN(created_at) \
                 FROM notices n WHERE sent_at IS NULL AND attempts >= 3 GROUP BY channel",
            )?
            .query_map([], |r| {
                Ok(Failing {
                    channel: r.get(0)?,
                    waiting: r.get(1)?,
                    attempts: r.get(2)?,
                    last_error: r.get(3)?,
                    since: parse_stamp(4, r.get(4)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()
            .context("reading failing notices")
    }
}
