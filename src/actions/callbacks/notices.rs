//! What a callback's events tell whom: the notices enqueued (each once, by its key) for the
//! channels `desk.toml` configures, and the relays that keep failing.

use super::Result;
use crate::accounts::{Account, Role};
use crate::app::App;
use crate::callbacks::Callback;
use crate::store::{Channel, OutgoingNotice};

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
    /// Handed over to another: its owner before is told it is no longer theirs (by e-mail; the
    /// webhook has the new owner's assignment).
    HandedAway,
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
            Event::HandedAway => "handed_away",
        }
    }
}

/// Who is told of an event on a callback, read before the change that makes it (so that the
/// notices are made, without reading anything more, inside that change's write).
#[derive(Debug, Clone)]
pub struct Audience {
    event: Event,
    /// The event is wanted (done and lost only when asked for).
    wanted: bool,
    /// The callback's owner as the event leaves it (its login, and its account); on a
    /// hand-over, its owner before.
    login: Option<String>,
    owner: Option<Account>,
    /// On a hand-over, the new owner, whom the notice names.
    new_owner: Option<Account>,
    /// The owner's address, when the owner is told by e-mail.
    owner_to: Option<String>,
    /// The heads' addresses, when they are told.
    heads_to: Vec<String>,
}

/// Who is told of `event` on a callback that `owner` owns once the event is saved.
pub fn audience(app: &App, event: Event, owner_login: Option<&str>) -> Result<Audience> {
    let settings = &app.desk.settings.notices;
    let wanted = match event {
        Event::Done => settings.on_done,
        Event::Lost => settings.on_lost,
        _ => true,
    };
    let owner = match owner_login {
        Some(login) if wanted && settings.email.is_some() => {
            app.store.account_by_login(login)?.map(|(a, _)| a)
        }
        _ => None,
    };
    let mailed = wanted && settings.email.is_some();
    let owner_to = owner.as_ref().and_then(|a| a.email.clone()).filter(|_| {
        mailed
            && matches!(
                event,
                Event::Assigned | Event::Overdue | Event::Done | Event::Lost | Event::HandedAway
            )
    });
    let heads_to = if mailed && matches!(event, Event::Escalated | Event::Lost) {
        app.store
            .accounts_of_role(Role::Head)?
            .into_iter()
            .filter_map(|a| a.email)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Audience {
        event,
        wanted,
        login: owner_login.map(str::to_string),
        owner,
        new_owner: None,
        owner_to,
        heads_to,
    })
}

/// Who is told that a callback `from` owned was handed over to `to`: `from`, by e-mail.
pub fn handed_away(app: &App, from: &str, to: Option<&str>) -> Result<Audience> {
    let mut told = audience(app, Event::HandedAway, Some(from))?;
    if told.owner_to.is_some() {
        told.new_owner = match to {
            Some(login) => app.store.account_by_login(login)?.map(|(a, _)| a),
            None => None,
        };
    }
    Ok(told)
}

impl Audience {
    /// The notices of the event on `c` (as the event leaves it), each keyed by its event (the
    /// owner's for an assignment, the due time's for lateness) so that it is enqueued once,
    /// through the channels configured: e-mails to the owner (assigned, overdue; done and lost
    /// when asked for), to the owner before a hand-over, or to every head (escalated; lost when
    /// asked for), and the webhook (but for the hand-over's e-mail).
    pub fn notices(&self, app: &App, c: &Callback) -> Vec<OutgoingNotice> {
        let event = self.event;
        // A callback given to nobody is told to nobody: the heads give it out from their list.
        if !self.wanted || (event == Event::Assigned && c.owner.is_none()) {
            return Vec::new();
        }
        let moment = match event {
            // Once per time it is given to them: the first owner's, then each hand-over's to
            // them (handed away and back, they are told again).
            Event::Assigned => {
                let owner = c.owner.clone().unwrap_or_default();
                let given = c
                    .attempts
                    .iter()
                    .filter(|a| {
                        a.result == crate::callbacks::Outcome::HandedOver
                            && a.reason.as_deref() == Some(owner.as_str())
                    })
                    .count();
                match given {
                    0 => owner,
                    n => format!("{owner}:{n}"),
                }
            }
            Event::Overdue | Event::Escalated => crate::store::stamp_text(c.due),
            Event::Done | Event::Lost => String::new(),
            // Once per hand-over: the attempts count them.
            Event::HandedAway => format!(
                "{}:{}",
                self.login.as_deref().unwrap_or_default(),
                c.attempts.len()
            ),
        };
        // `callback:ID:EVENT`, and `:MOMENT` for an event that may come again.
        let mut key = format!("callback:{}:{}", c.id, event.as_str());
        if !moment.is_empty() {
            key = format!("{key}:{moment}");
        }
        let mut out = Vec::new();
        // The owner read before the write is told only if it still owns it (a hand-over may
        // have come between): the webhook says who does.
        let mut to: Vec<&String> = self.heads_to.iter().collect();
        let still_theirs = c.owner == self.login;
        if still_theirs != (event == Event::HandedAway) {
            to.extend(&self.owner_to);
        }
        to.sort();
        to.dedup();
        if !to.is_empty() {
            let t = crate::i18n::texts(app.lang);
            let named = match event {
                Event::HandedAway => self.new_owner.as_ref(),
                _ => self.owner.as_ref(),
            };
            let (subject, body) = t.callback_notice(event.as_str(), c, &app.clock, named);
            out.extend(to.into_iter().map(|address| OutgoingNotice {
                key: format!("{key}:{address}"),
                channel: Channel::Email,
                recipient: address.clone(),
                subject: subject.clone(),
                body: body.clone(),
            }));
        }
        if app.desk.settings.notices.webhook.is_some() && event != Event::HandedAway {
            let body = serde_json::json!({
                "event": event.as_str(),
                "key": key,
                "at": app.clock.now(),
                "callback": c.json(app.clock.now()),
            })
            .to_string();
            out.push(OutgoingNotice {
                key,
                channel: Channel::Webhook,
                recipient: "webhook".into(),
                subject: event.as_str().into(),
                body,
            });
        }
        out
    }
}

/// Enqueues the notices of an event on a callback already saved, each once (see
/// [`Audience::notices`]). The notices job sends them.
pub fn notify(app: &App, event: Event, c: &Callback) -> Result<()> {
    let now = app.clock.now();
    for notice in audience(app, event, c.owner.as_deref())?.notices(app, c) {
        app.store.enqueue_notice(&notice, now)?;
    }
    Ok(())
}

/// Channels whose notices keep failing, for the admin page.
pub fn failing_notices(app: &App) -> Result<Vec<crate::store::FailingNotices>> {
    Ok(app.store.failing_notices()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{accounts, callbacks, calls, testing, Actor};
    use crate::calls::{CallChanges, Outcome};

    /// The callback an operator promises a caller, for mikhail.
    fn promised_to_mikhail(t: &testing::Opened) -> Callback {
        let op = Actor::person("anna", Role::Operator);
        let changes = CallChanges {
            phone: Some(Some("+7 495 123-45-67".into())),
            outcome: Some(Some(Outcome::Callback)),
            manager: Some(Some("mikhail".into())),
            ..CallChanges::default()
        };
        let record = calls::open(&t.app, &op, changes).unwrap();
        callbacks::follow_call(&t.app, &op, None, &record).unwrap();
        callbacks::open_for(&t.app, Some("+7 495 123-45-67"))
            .unwrap()
            .expect("promised")
    }

    /// A desk that sends e-mail (to a relay nobody listens on).
    fn mailing() -> testing::Opened {
        let mut t = testing::app();
        t.app.desk.settings.notices.email = Some(crate::notices::SmtpSettings {
            host: "127.0.0.1".into(),
            port: 9,
            security: Default::default(),
            from: "desk@example.ru".into(),
            user: None,
        });
        t
    }

    #[test]
    fn an_owner_read_before_the_write_is_mailed_only_if_it_still_owns_it() {
        let mut t = mailing();
        t.app.desk.settings.notices.on_done = true;
        let profile = crate::accounts::Profile::new(None, Some("m@example.ru"), None).unwrap();
        let manager = Role::Manager;
        accounts::add_account(&t.app, &Actor::cli(), "mikhail", manager, None, &profile).unwrap();
        let mut c = promised_to_mikhail(&t);
        let told = audience(&t.app, Event::Done, Some("mikhail")).unwrap();
        let mailed = |c: &Callback| {
            told.notices(&t.app, c)
                .into_iter()
                .filter(|n| n.channel == Channel::Email)
                .count()
        };
        assert_eq!(mailed(&c), 1);
        // Handed over to another between the read and the write: not mailed to mikhail.
        c.owner = Some("olga".into());
        assert_eq!(mailed(&c), 0);
    }

    #[test]
    fn a_hand_over_tells_the_new_owner_and_the_one_before_by_e_mail() {
        let mut t = mailing();
        t.app.desk.settings.notices.webhook = Some(crate::notices::WebhookSettings {
            url: "http://127.0.0.1:9/hook".into(),
        });
        for (login, name, email) in [
            ("mikhail", "Михаил Петров", "m@example.ru"),
            ("olga", "Ольга Кузнецова", "o@example.ru"),
        ] {
            let profile = crate::accounts::Profile::new(Some(name), Some(email), None).unwrap();
            let (cli, role) = (Actor::cli(), Role::Manager);
            accounts::add_account(&t.app, &cli, login, role, None, &profile).unwrap();
        }
        let c = promised_to_mikhail(&t);
        let head = Actor::person("boss", Role::Head);
        callbacks::change(&t.app, &head, c.id, Some("olga"), None).unwrap();
        let later = t.app.clock.now() + chrono::Duration::days(1);
        let queued = t.app.store.notices_due(later, 50).unwrap();
        let to = |address: &str| -> Vec<&crate::store::Notice> {
            queued.iter().filter(|n| n.recipient == address).collect()
        };
        let olgas = to("o@example.ru");
        assert!(
            olgas.iter().any(|n| n.subject.starts_with("Перезвонить")),
            "{queued:?}"
        );
        let away: Vec<_> = to("m@example.ru")
            .into_iter()
            .filter(|n| n.key.contains(":handed_away:"))
            .collect();
        assert_eq!(away.len(), 1, "{queued:?}");
        assert!(
            away[0].subject.starts_with("Перезвон передан"),
            "{:?}",
            away[0]
        );
        assert!(
            away[0].body.contains("Ответственный: Ольга Кузнецова"),
            "{:?}",
            away[0]
        );
        // The webhook has the assignment only.
        let hooks: Vec<&str> = queued
            .iter()
            .filter(|n| n.channel == Channel::Webhook)
            .map(|n| n.subject.as_str())
            .collect();
        assert!(!hooks.contains(&"handed_away"), "{hooks:?}");
        assert_eq!(
            hooks.iter().filter(|h| **h == "assigned").count(),
            2,
            "{hooks:?}"
        );
    }

    #[test]
    fn an_event_is_enqueued_once_by_its_key_and_done_only_when_asked_for() {
        let mut t = testing::app();
        let hook = crate::notices::WebhookSettings {
            url: "http://127.0.0.1:9/hook".into(),
        };
        t.app.desk.settings.notices.webhook = Some(hook);
        let profile = crate::accounts::Profile::default();
        let (cli, manager) = (Actor::cli(), Role::Manager);
        accounts::add_account(
            &t.app,
            &cli,
            "mikhail",
            manager,
            Some("a-long-pass"),
            &profile,
        )
        .unwrap();
        let c = promised_to_mikhail(&t);
        let later = t.app.clock.now() + chrono::Duration::hours(1);
        let queued = || t.app.store.notices_due(later, 50).unwrap();
        let assigned = queued().len();
        assert!(assigned >= 1, "the assignment is told");
        notify(&t.app, Event::Assigned, &c).unwrap();
        assert_eq!(queued().len(), assigned, "the same event once");
        notify(&t.app, Event::Done, &c).unwrap();
        assert_eq!(queued().len(), assigned, "done is told only when asked for");
        t.app.desk.settings.notices.on_done = true;
        notify(&t.app, Event::Done, &c).unwrap();
        let all = queued();
        assert_eq!(all.len(), assigned + 1);
        let done = format!("callback:{}:done", c.id);
        assert!(all.iter().any(|n| n.key == done), "{all:?}");
    }
}
