//! The ringing calls on the operators' screens: what the exchange's events tell the desk's pages
//! (a call rings, is answered, ends), handed to every open page at once.
//!
//! [`Screens::show`] publishes an event to every page watching ([`Screens::watch`]) and keeps
//! the calls still ringing, so that a page opened while a call rings shows it too. A person
//! watches from a few pages at most ([`PER_PERSON`]): a further page takes the place of their
//! oldest, which is told to stop ([`Watch::evicted`]), so that forgotten tabs never use up the
//! server's connections. [`Screens::close`] ends every watch when the server stops, so that no
//! page's stream holds the stop up.
//!
//! Owns no I/O: the web layer turns what [`Watch::next`] gives into server-sent events.

use crate::calls::CallKind;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, watch, Notify};

/// Pages one person may watch from at once; a further one takes the oldest one's place.
pub const PER_PERSON: usize = 4;
/// Pages watching at once, in all; past it a page is refused.
pub const MOST_WATCHES: usize = 256;
/// Events waiting for a slow page; a page further behind skips to the newest.
const BACKLOG: usize = 256;
/// A call that rang this long with no word of its end is no longer shown: an exchange gives up
/// ringing well before, so its end was lost. Pages that show it drop it then too.
pub const RING_FORGET: Duration = Duration::from_secs(5 * 60);

/// The responsible manager of a caller: the manager of their latest calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagerRef {
    /// Their login.
    pub login: String,
    /// How they are shown.
    pub name: String,
    /// Their extension, where the exchange rings them.
    pub extension: Option<String>,
}

/// A caller's open callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallbackDue {
    /// Its id.
    pub id: i64,
    /// When it falls due.
    pub due: DateTime<Utc>,
    /// Whether it is past due.
    pub overdue: bool,
    /// Its owner's login, if anyone owns it.
    pub owner: Option<String>,
}

/// What the desk knows of a caller when their call rings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caller {
    /// Their name, from their latest call that gave one.
    pub name: Option<String>,
    /// Their company.
    pub company: Option<String>,
    /// First-time (primary) or existing (secondary), as their next call would be recorded.
    pub kind: CallKind,
    /// Whether they called before.
    pub returning: bool,
    /// Their responsible manager.
    pub manager: Option<ManagerRef>,
    /// Their open callback.
    pub callback: Option<CallbackDue>,
}

impl Caller {
    /// A caller the desk has never heard of.
    pub fn unknown() -> Caller {
        Caller {
            name: None,
            company: None,
            kind: CallKind::Primary,
            returning: false,
            manager: None,
            callback: None,
        }
    }
}

/// What happened to a call, for the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// It rings: show it.
    Ringing,
    /// Someone answered: the page of whoever answered opens it; the others stop showing it.
    Answered,
    /// It is over: stop showing it.
    Ended,
}

impl Shown {
    /// The event's name in the stream.
    pub fn as_str(self) -> &'static str {
        match self {
            Shown::Ringing => "ringing",
            Shown::Answered => "answered",
            Shown::Ended => "ended",
        }
    }
}

/// One thing the pages are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreenEvent {
    /// What happened.
    #[serde(skip)]
    pub shown: Shown,
    /// The exchange's call, as `exchange:call_id`: what the page knows the call by, and what
    /// the new-call card links its record to.
    pub call: String,
    /// The caller's number as the exchange sent it.
    pub phone: Option<String>,
    /// When the call started ringing (a ringing call's event only).
    pub since: Option<DateTime<Utc>>,
    /// What the desk knows of the caller.
    pub caller: Option<Caller>,
    /// The login of the person whose extension answered.
    #[serde(skip)]
    pub answered_by: Option<String>,
    /// The call record, once there is one.
    pub record: Option<i64>,
}

/// The pages that watch, by person.
#[derive(Default)]
struct Watchers {
    next: u64,
    total: usize,
    by_person: HashMap<String, VecDeque<(u64, Arc<Notify>)>>,
}

/// The hub between the exchange's events and the pages that show them. Cheap to share.
pub struct Screens {
    events: broadcast::Sender<Arc<ScreenEvent>>,
    ringing: Mutex<Vec<(Instant, Arc<ScreenEvent>)>>,
    closed: watch::Sender<bool>,
    watchers: Arc<Mutex<Watchers>>,
    published: AtomicU64,
}

impl std::fmt::Debug for Screens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screens")
            .field("watching", &self.watching())
            .finish_non_exhaustive()
    }
}

impl Default for Screens {
    fn default() -> Screens {
        Screens {
            events: broadcast::channel(BACKLOG).0,
            ringing: Mutex::new(Vec::new()),
            closed: watch::channel(false).0,
            watchers: Arc::default(),
            published: AtomicU64::new(0),
        }
    }
}

/// The page may not watch: too many pages watch already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// One page watching: the calls ringing when it began, then every event.
pub struct Watch {
    /// The calls ringing when the page began to watch, oldest first, each with how long it is
    /// still shown ([`RING_FORGET`] from its ring).
    pub ringing: VecDeque<(Arc<ScreenEvent>, Duration)>,
    /// Every event from then on.
    pub events: broadcast::Receiver<Arc<ScreenEvent>>,
    /// Turns `true` when the server stops.
    pub closed: watch::Receiver<bool>,
    /// Notified when a newer page of the same person took this one's place.
    pub evicted: Arc<Notify>,
    /// Who watches (`None`: a machine).
    pub person: Option<String>,
    slot: Option<(u64, Arc<Mutex<Watchers>>)>,
    /// Told it was evicted: nothing more follows.
    done: bool,
}

/// What a watching page is told next.
#[derive(Debug, Clone)]
pub enum Seen {
    /// A call rang, was answered or ended; and, for a ringing call, how much longer to show it
    /// with no further word of it (what is left of [`RING_FORGET`]).
    Event(Arc<ScreenEvent>, Duration),
    /// A newer page of the same person took this one's place: the last word.
    Evicted,
}

impl Watch {
    /// The next thing to tell the page: the calls ringing when it began, then every event as
    /// it comes ([`Seen::Evicted`] once, last, when a newer page took its place); `None` when
    /// the server stops. A page far behind skips what it missed and goes on with the newest.
    pub async fn next(&mut self) -> Option<Seen> {
        if self.done {
            return None;
        }
        if let Some((event, left)) = self.ringing.pop_front() {
            return Some(Seen::Event(event, left));
        }
        loop {
            tokio::select! {
                biased;
                _ = self.closed.wait_for(|closed| *closed) => return None,
                () = self.evicted.notified() => {
                    self.done = true;
                    return Some(Seen::Evicted);
                }
                got = self.events.recv() => match got {
                    Ok(event) => return Some(Seen::Event(event, RING_FORGET)),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    }

    /// Whether the call was answered on the extension of the person who watches.
    pub fn mine(&self, event: &ScreenEvent) -> bool {
        event.answered_by.is_some() && event.answered_by == self.person
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let Some((id, watchers)) = self.slot.take() else {
            return;
        };
        let mut w = watchers.lock().unwrap_or_else(|p| p.into_inner());
        w.total = w.total.saturating_sub(1);
        if let Some(person) = &self.person {
            if let Some(queue) = w.by_person.get_mut(person) {
                queue.retain(|(slot, _)| *slot != id);
                if queue.is_empty() {
                    w.by_person.remove(person);
                }
            }
        }
    }
}

impl Screens {
    /// Tells every page; keeps the calls still ringing for pages that open later.
    pub fn show(&self, event: ScreenEvent) {
        let event = Arc::new(event);
        {
            let mut ringing = self.ringing.lock().unwrap_or_else(|p| p.into_inner());
            ringing.retain(|(since, e)| since.elapsed() < RING_FORGET && e.call != event.call);
            if event.shown == Shown::Ringing {
                ringing.push((Instant::now(), Arc::clone(&event)));
            }
        }
        self.published.fetch_add(1, Ordering::Relaxed);
        // Nobody watching is no error.
        let _ = self.events.send(event);
    }

    /// How many events were shown since the start.
    pub fn shown_count(&self) -> u64 {
        self.published.load(Ordering::Relaxed)
    }

    /// The calls ringing now, oldest first.
    pub fn ringing_now(&self) -> Vec<Arc<ScreenEvent>> {
        self.ringing_left().into_iter().map(|(e, _)| e).collect()
    }

    /// The calls ringing now, oldest first, each with how much longer it is shown.
    fn ringing_left(&self) -> VecDeque<(Arc<ScreenEvent>, Duration)> {
        let ringing = self.ringing.lock().unwrap_or_else(|p| p.into_inner());
        ringing
            .iter()
            .filter_map(|(since, e)| {
                Some((Arc::clone(e), RING_FORGET.checked_sub(since.elapsed())?))
            })
            .filter(|(_, left)| !left.is_zero())
            .collect()
    }

    /// Begins watching for a page of `person` (a login, or a token apart from logins). Their oldest
    /// page is told to stop when they watch from more than [`PER_PERSON`].
    pub fn watch(&self, person: Option<&str>) -> Result<Watch, Full> {
        let events = self.events.subscribe();
        let evicted = Arc::new(Notify::new());
        let mut w = self.watchers.lock().unwrap_or_else(|p| p.into_inner());
        if w.total >= MOST_WATCHES {
            return Err(Full);
        }
        w.total += 1;
        w.next += 1;
        let id = w.next;
        if let Some(person) = person {
            let queue = w.by_person.entry(person.to_string()).or_default();
            queue.push_back((id, Arc::clone(&evicted)));
            while queue.len() > PER_PERSON {
                if let Some((_, oldest)) = queue.pop_front() {
                    oldest.notify_one();
                }
            }
        }
        drop(w);
        Ok(Watch {
            ringing: self.ringing_left(),
            events,
            closed: self.closed.subscribe(),
            evicted,
            person: person.map(str::to_string),
            slot: Some((id, Arc::clone(&self.watchers))),
            done: false,
        })
    }

    /// How many pages watch now.
    pub fn watching(&self) -> usize {
        self.watchers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .total
    }

    /// Ends every watch, now and later: the server is stopping.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Whether the server is stopping.
    pub fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(shown: Shown, call: &str) -> ScreenEvent {
        ScreenEvent {
            shown,
            call: call.into(),
            phone: Some("79161234567".into()),
            since: None,
            caller: None,
            answered_by: None,
            record: None,
        }
    }

    #[test]
    fn a_page_opened_while_a_call_rings_shows_it_until_it_is_answered() {
        let screens = Screens::default();
        screens.show(event(Shown::Ringing, "generic:1"));
        screens.show(event(Shown::Ringing, "generic:2"));
        let watch = screens.watch(Some("anna")).unwrap();
        let calls: Vec<&str> = watch.ringing.iter().map(|(e, _)| e.call.as_str()).collect();
        assert_eq!(calls, ["generic:1", "generic:2"]);
        screens.show(event(Shown::Answered, "generic:1"));
        let calls: Vec<String> = screens
            .ringing_now()
            .iter()
            .map(|e| e.call.clone())
            .collect();
        assert_eq!(calls, ["generic:2"]);
    }

    #[test]
    fn a_call_ringing_with_no_end_is_forgotten_and_pages_are_told_when() {
        let screens = Screens::default();
        screens.show(event(Shown::Ringing, "generic:1"));
        screens.show(event(Shown::Ringing, "generic:2"));
        // The first rang long ago: its end was lost. (A machine up for less than that has no
        // such instant to give.)
        let Some(long_ago) = Instant::now().checked_sub(RING_FORGET) else {
            return;
        };
        screens.ringing.lock().unwrap()[0].0 = long_ago;
        let watch = screens.watch(None).unwrap();
        let calls: Vec<&str> = watch.ringing.iter().map(|(e, _)| e.call.as_str()).collect();
        assert_eq!(calls, ["generic:2"]);
        let left = watch.ringing[0].1;
        assert!(left <= RING_FORGET && left > RING_FORGET / 2);
    }

    #[test]
    fn every_page_hears_every_event() {
        let screens = Screens::default();
        let mut first = screens.watch(Some("anna")).unwrap();
        let mut second = screens.watch(None).unwrap();
        screens.show(event(Shown::Ringing, "generic:1"));
        assert_eq!(first.events.try_recv().unwrap().call, "generic:1");
        assert_eq!(second.events.try_recv().unwrap().call, "generic:1");
    }

    #[test]
    fn a_persons_oldest_page_gives_way_and_a_closed_page_frees_its_place() {
        let screens = Screens::default();
        let pages: Vec<Watch> = (0..PER_PERSON)
            .map(|_| screens.watch(Some("anna")).unwrap())
            .collect();
        let newest = screens.watch(Some("anna")).unwrap();
        // The oldest was told (a permit waits for it); the others were not.
        let told = |w: &Watch| {
            let notified = w.evicted.notified();
            tokio::pin!(notified);
            notified.as_mut().enable()
        };
        assert!(told(&pages[0]));
        assert!(pages[1..].iter().all(|w| !told(w)));
        assert!(!told(&newest));
        assert_eq!(screens.watching(), PER_PERSON + 1);
        drop(pages);
        drop(newest);
        assert_eq!(screens.watching(), 0);
    }

    #[test]
    fn a_page_is_told_what_rings_then_each_event_and_last_that_it_gave_way() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let screens = Screens::default();
            screens.show(event(Shown::Ringing, "generic:1"));
            let mut oldest = screens.watch(Some("anna")).unwrap();
            let answered = ScreenEvent {
                answered_by: Some("anna".into()),
                ..event(Shown::Answered, "generic:1")
            };
            screens.show(answered);
            let Some(Seen::Event(first, _)) = oldest.next().await else {
                panic!("the ringing call first");
            };
            assert_eq!((first.shown, oldest.mine(&first)), (Shown::Ringing, false));
            let Some(Seen::Event(second, _)) = oldest.next().await else {
                panic!("then its answer");
            };
            assert_eq!(
                (second.shown, oldest.mine(&second)),
                (Shown::Answered, true)
            );
            let _newer: Vec<Watch> = (0..PER_PERSON)
                .map(|_| screens.watch(Some("anna")).unwrap())
                .collect();
            assert!(matches!(oldest.next().await, Some(Seen::Evicted)));
            assert!(oldest.next().await.is_none(), "nothing after eviction");
            let mut machine = screens.watch(None).unwrap();
            screens.close();
            assert!(machine.next().await.is_none(), "a stopping server ends it");
        });
    }

    #[test]
    fn closing_is_seen_by_every_watch() {
        let screens = Screens::default();
        let watch = screens.watch(Some("anna")).unwrap();
        assert!(!*watch.closed.borrow());
        screens.close();
        assert!(*watch.closed.borrow());
        assert!(screens.is_closed());
    }
}
