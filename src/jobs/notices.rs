//! The notices job: chases callbacks and sends what the outbox holds. Every few seconds (and
//! when a callback changes) it enqueues the notices overdue callbacks call for (to the owner
//! once past due, to every head once past due by the escalation time in working hours; each
//! event once, whatever restarts come), then sends the notices whose time has come: a relay
//! that fails is tried again later, waiting twice as long each time, up to an hour. No request
//! ever waits for a relay.

use super::{Signal, Wake};
use crate::actions::callbacks::{notify, Event};
use crate::app::App;
use crate::callbacks::State;
use crate::store::{CallbacksListed, Channel};
use chrono::Duration as Span;
use std::time::Duration;

/// How often the job looks when nothing nudges it.
const LOOK_EVERY: Duration = Duration::from_secs(10);
/// Notices sent per look at most.
const BATCH: usize = 50;
/// Open callbacks looked at per look for an owner never told.
const RECONCILE_AT_MOST: usize = 2_000;
/// How recent a callback is for its owner's notice to be enqueued again if missing.
const RECONCILE_WITHIN: Span = Span::hours(1);
/// The longest wait between two tries of a notice.
const MAX_BACKOFF_MINUTES: i64 = 60;

/// The job's loop, until stopped.
pub fn run(app: &App, signal: &Signal) {
    loop {
        if let Err(e) = chase(app) {
            tracing::error!("chasing overdue callbacks: {e:#}");
        }
        if let Err(e) = send(app) {
            tracing::error!("sending notices: {e:#}");
        }
        if signal.wait(LOOK_EVERY) == Wake::Stop {
            return;
        }
    }
}

/// Enqueues the notices of callbacks past due, and of those past due by the escalation time.
pub fn chase(app: &App) -> anyhow::Result<()> {
    let now = app.clock.now();
    let hours = &app.desk.settings.hours;
    let escalation =
        Span::minutes((app.desk.settings.callbacks.escalate_after_hours * 60.0) as i64);
    for callback in app.store.overdue_callbacks(now)? {
        if !app.store.overdue_told(callback.id)? {
            notify(app, Event::Overdue, &callback)?;
        }
        let late = hours.between(app.clock.local(callback.due), app.clock.local(now));
        let escalated = late >= escalation;
        if escalated {
            notify(app, Event::Escalated, &callback)?;
        }
        app.store.mark_told(callback.id, escalated)?;
    }
    // The owner of a callback opened in the last hour is told it is theirs also where the
    // write that opened it enqueued nothing (the desk's and the exchange's do; a restore, or a
    // database an earlier version wrote, may not): a notice's key makes this once per owner.
    // Older ones (an import, an upgrade) are listed, not announced.
    let notices = &app.desk.settings.notices;
    if notices.email.is_some() || notices.webhook.is_some() {
        let open = CallbacksListed {
            owner: None,
            state: Some(State::Open),
            due_before: None,
            limit: RECONCILE_AT_MOST,
        };
        for callback in app.store.callbacks(&open)? {
            if callback.owner.is_some() && now - callback.created_at < RECONCILE_WITHIN {
                notify(app, Event::Assigned, &callback)?;
            }
        }
    }
    Ok(())
}

/// Sends the notices whose time has come.
pub fn send(app: &App) -> anyhow::Result<usize> {
    let settings = &app.desk.settings.notices;
    let mut sent = 0;
    // A channel that failed once in this round (a relay that hangs, say) is not tried again in
    // it: its other notices wait for the next round, and the other channel's go on now.
    let mut down: Vec<Channel> = Vec::new();
    for notice in app.store.notices_due(app.clock.now(), BATCH)? {
        if app.stop.requested() {
            break;
        }
        if down.contains(&notice.channel) {
            continue;
        }
        let result = match notice.channel {
            Channel::Email => match &settings.email {
                Some(smtp) => crate::notices::send_email(
                    smtp,
                    &notice.key,
                    &notice.recipient,
                    &notice.subject,
                    &notice.body,
                ),
                None => Err(anyhow::anyhow!("no [notices.email] in desk.toml")),
            },
            Channel::Webhook => match &settings.webhook {
                Some(hook) => crate::notices::send_webhook(hook, &notice.key, &notice.body),
                None => Err(anyhow::anyhow!("no [notices.webhook] in desk.toml")),
            },
        };
        let now = app.clock.now();
        match result {
            Ok(()) => {
                app.store.notice_sent(notice.id, now)?;
                sent += 1;
            }
            Err(e) => {
                down.push(notice.channel);
                let wait = (1i64 << notice.attempts.clamp(0, 6)).min(MAX_BACKOFF_MINUTES);
                tracing::warn!(key = %notice.key, attempts = notice.attempts + 1, "a notice was not sent: {e:#}");
                app.store
                    .notice_failed(notice.id, &format!("{e:#}"), now + Span::minutes(wait))?;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{calls, testing, Actor};
    use crate::calls::CallChanges;
    use crate::store::Promise;

    #[test]
    fn the_owner_of_a_new_callback_nobody_told_is_told_at_the_next_look() {
        let mut t = testing::app();
        t.app.desk.settings.notices.webhook = Some(crate::notices::WebhookSettings {
            url: "http://127.0.0.1:9/hook".into(),
        });
        let operator = Actor::person("anna", crate::accounts::Role::Operator);
        let call = calls::open(&t.app, &operator, CallChanges::default()).unwrap();
        let now = t.app.clock.now();
        // Saved, but the request stopped before its notice was enqueued.
        let promise = Promise {
            call_id: call.call.id,
            caller_key: "74951234567",
            name: None,
            phone: Some("+7 495 123-45-67"),
            email: None,
            company: None,
            owner: Some("mikhail"),
            due: now + Span::hours(2),
            missed: false,
        };
        t.app
            .store
            .promise_callback(&promise, now, Default::default())
            .unwrap();
        let later = now + Span::days(1);
        assert!(t.app.store.notices_due(later, 10).unwrap().is_empty());
        chase(&t.app).unwrap();
        chase(&t.app).unwrap();
        let due = t.app.store.notices_due(later, 10).unwrap();
        assert_eq!(due.len(), 1, "told once: {due:?}");
        assert!(due[0].key.contains(":assigned:mikhail"), "{}", due[0].key);
    }

    #[test]
    fn a_channel_that_fails_is_tried_once_a_round_and_the_other_goes_on() {
        use crate::store::{Channel, OutgoingNotice};
        let mut t = testing::app();
        // Nothing listens on port 9: each try fails at once.
        t.app.desk.settings.notices.email = Some(crate::notices::SmtpSettings {
            host: "127.0.0.1".into(),
            port: 9,
            security: Default::default(),
            from: "callfaq@office.test".into(),
            user: None,
        });
        let now = t.app.clock.now();
        for (key, channel) in [
            ("mail-1", Channel::Email),
            ("mail-2", Channel::Email),
            ("mail-3", Channel::Email),
            ("hook-1", Channel::Webhook),
        ] {
            let notice = OutgoingNotice {
                key: key.into(),
                channel,
                recipient: "mikhail@office.test".into(),
                subject: "test".into(),
                body: "{}".into(),
            };
            t.app.store.enqueue_notice(&notice, now).unwrap();
        }
        assert_eq!(send(&t.app).unwrap(), 0);
        let later = now + Span::days(1);
        let tried: Vec<(String, i64)> = t
            .app
            .store
            .notices_due(later, 10)
            .unwrap()
            .into_iter()
            .map(|n| (n.key, n.attempts))
            .collect();
        let attempts = |key: &str| tried.iter().find(|(k, _)| k == key).unwrap().1;
        assert_eq!(attempts("mail-1"), 1, "{tried:?}");
        assert_eq!(
            (attempts("mail-2"), attempts("mail-3")),
            (0, 0),
            "not tried this round"
        );
        assert_eq!(
            attempts("hook-1"),
            1,
            "the webhook's turn was not taken: {tried:?}"
        );
    }
}
