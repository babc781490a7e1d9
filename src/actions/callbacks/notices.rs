//! What a callback's events tell whom: the notices enqueued (each once, by its key) for the
//! channels `desk.toml` configures, and the relays that keep failing.

use super::Result;
use crate::accounts::Role;
use crate::app::App;
use crate::callbacks::Callback;
use crate::store::Channel;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A callback given to its owner.
    Assigned,
    /// Past due.
    Overdue,
    /// Past due by the escalation time: the heads are told.
    Escalated,
    /// Done.
    Done,
    /// Lost.
    Lost,
}

impl Event {
    /// The word in a webhook's body.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Assigned => "assigned",
            Event::Overdue => "overdue",
            Event::Escalated => "escalated",
            Event::Done => "done",
            Event::Lost => "lost",
        }
    }
}

/// Enqueues the notices of an event on a callback, each once (its key is the event's: the
/// owner's for an assignment, the due time's for lateness), through the channels configured:
/// e-mails to the owner (assigned, overdue; done and lost when asked for) or to every head
/// (escalated; lost when asked for), and the webhook. The notices job sends them.
pub fn notify(app: &App, event: Event, c: &Callback) -> Result<()> {
    let settings = &app.desk.settings.notices;
    let wanted = match event {
        Event::Done => settings.on_done,
        Event::Lost => settings.on_lost,
        _ => true,
    };
    if !wanted {
        return Ok(());
    }
    let moment = match event {
        Event::Assigned => c.owner.clone().unwrap_or_default(),
        Event::Overdue | Event::Escalated => crate::store::stamp_text(c.due),
        Event::Done | Event::Lost => String::new(),
    };
    let key = format!("callback:{}:{}:{moment}", c.id, event.as_str());
    let now = app.clock.now();
    let t = crate::i18n::texts(app.lang);
    if settings.email.is_some() {
        let owner = c
            .owner
            .as_deref()
            .and_then(|o| app.store.account_by_login(o).ok().flatten().map(|(a, _)| a));
        let mut to: Vec<String> = Vec::new();
        if matches!(
            event,
            Event::Assigned | Event::Overdue | Event::Done | Event::Lost
        ) {
            to.extend(owner.as_ref().and_then(|a| a.email.clone()));
        }
        if matches!(event, Event::Escalated | Event::Lost) {
            to.extend(
                app.store
                    .accounts_of_role(Role::Head)?
                    .into_iter()
                    .filter_map(|a| a.email),
            );
        }
        to.sort();
        to.dedup();
        let (subject, body) = t.callback_notice(event.as_str(), c, &app.clock, owner.as_ref());
        for address in to {
            app.store.enqueue_notice(
                &format!("{key}:{address}"),
                Channel::Email,
                &address,
                &subject,
                &body,
                now,
            )?;
        }
    }
    if settings.webhook.is_some() {
        let body = serde_json::json!({
            "event": event.as_str(),
            "key": key,
            "at": now,
            "callback": c,
        })
        .to_string();
        app.store.enqueue_notice(
            &key,
            Channel::Webhook,
            "webhook",
            event.as_str(),
            &body,
            now,
        )?;
    }
    Ok(())
}

/// Channels whose notices keep failing, for the admin page.
pub fn failing_notices(app: &App) -> Result<Vec<crate::store::FailingNotices>> {
    Ok(app.store.failing_notices()?)
}
