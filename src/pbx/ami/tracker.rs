//! Follows every channel of every incoming call on an Asterisk (or FreePBX) and tells the desk
//! when the call rings, when a person answers, and how the whole call ended.
//!
//! Asterisk makes a channel per leg: the trunk's channel that brings the call in, `Local/`
//! helper channels of ring groups, queues and follow-me, and a channel per phone it dials. All
//! of them carry the `Linkedid` of the first one, so that id is the call. The events read are
//! those of the AMI reference (Asterisk 13 and later): `Newchannel`, `DialBegin`, `DialEnd`
//! (`DialStatus`), `BridgeEnter` and `Hangup`; the rest (`Newstate`, `Newexten`, `VarSet`...)
//! changes nothing here.
//!
//! - Ringing: the first channel of a call appears in an inbound context (`from-trunk`,
//!   `from-pstn`... as set in [`Tracker::new`]). Internal and outgoing calls are not followed.
//! - Answered: a phone dialled for the call (not a `Local/` helper) answers (`DialEnd` with
//!   `ANSWER`, or the phone joins a bridge). The voice menu answering the trunk's channel is
//!   not a person answering, and is never reported.
//! - Ended: when the call's last channel hangs up: answered if a person did; busy if every
//!   phone tried was busy; missed if a phone rang; the voice menu if none ever did.
//!
//! Pure and synchronous: messages in, events out. The connection is [`super::client`]'s.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::Message;
use crate::pbx::{CallEvent, Ending, EventKind, Exchange, MAX_ID, MAX_NUMBER};

/// Contexts an incoming call starts in on FreePBX and common hand-written dial plans.
pub const INBOUND_CONTEXTS: &[&str] = &[
    "from-trunk",
    "from-pstn",
    "from-did",
    "from-external",
    "incoming",
    "inbound",
];

/// A call whose end was never seen (the connection was down when it hung up) is forgotten after
/// this long.
const FORGET_AFTER: Duration = Duration::from_secs(12 * 60 * 60);

/// The incoming calls in progress, by `Linkedid`.
#[derive(Debug)]
pub struct Tracker {
    inbound_contexts: Vec<String>,
    calls: HashMap<String, Call>,
}

/// One incoming call and what became of its channels.
#[derive(Debug)]
struct Call {
    caller: Option<String>,
    called: Option<String>,
    /// Channels (`Uniqueid`) still up.
    channels: HashSet<String>,
    /// Phones dialled for the call (`Uniqueid` → extension).
    phones: HashMap<String, Option<String>>,
    /// `DialEnd`s of phones: how many, and how many were busy.
    dials_ended: usize,
    dials_busy: usize,
    answered: bool,
    since: Instant,
}

impl Tracker {
    /// A tracker that takes a call as incoming when its first channel starts in a context that
    /// begins with one of `inbound_contexts` (such as [`INBOUND_CONTEXTS`]).
    pub fn new<S: Into<String>>(inbound_contexts: impl IntoIterator<Item = S>) -> Tracker {
        Tracker {
            inbound_contexts: inbound_contexts.into_iter().map(Into::into).collect(),
            calls: HashMap::new(),
        }
    }

    /// How many incoming calls are in progress.
    pub fn calls_in_progress(&self) -> usize {
        self.calls.len()
    }

    /// Reads one message; gives what it means for the desk, if anything.
    pub fn handle(&mut self, message: &Message) -> Option<CallEvent> {
        match message.event()? {
            "Newchannel" => self.new_channel(message),
            "DialBegin" => self.dial_begin(message),
            "DialEnd" => self.dial_end(message),
            "BridgeEnter" => self.bridge_enter(message),
            "Hangup" => self.hangup(message),
            _ => None,
        }
    }

    fn new_channel(&mut self, message: &Message) -> Option<CallEvent> {
        let unique = message.get("Uniqueid")?;
        let linked = message.get("Linkedid").unwrap_or(unique);
        if let Some(call) = self.calls.get_mut(linked) {
            call.channels.insert(unique.to_string());
            return None;
        }
        let context = message.get("Context").unwrap_or_default();
        let inbound = self.inbound_contexts.iter().any(|c| context.starts_with(c));
        // A channel of a call already under way when the connection opened is not followed.
        if unique != linked || !inbound || linked.len() > MAX_ID {
            return None;
        }
        self.calls
            .retain(|_, call| call.since.elapsed() < FORGET_AFTER);
        let call = Call {
            caller: number(message.get("CallerIDNum")),
            called: number(message.get("Exten")),
            channels: HashSet::from([unique.to_string()]),
            phones: HashMap::new(),
            dials_ended: 0,
            dials_busy: 0,
            answered: false,
            since: Instant::now(),
        };
        let event = call.event(linked, EventKind::Ringing, message);
        self.calls.insert(linked.to_string(), call);
        Some(event)
    }

    fn dial_begin(&mut self, message: &Message) -> Option<CallEvent> {
        let (_, call) = self.call_of(message)?;
        let dest = message.get("DestChannel")?;
        let dest_unique = message.get("DestUniqueid")?;
        call.channels.insert(dest_unique.to_string());
        if is_phone(dest) {
            call.phones
                .insert(dest_unique.to_string(), extension(dest, message));
        }
        None
    }

    fn dial_end(&mut self, message: &Message) -> Option<CallEvent> {
        let (linked, call) = self.call_of(message)?;
        let dest_unique = message.get("DestUniqueid")?;
        let extension = call.phones.get(dest_unique)?.clone();
        call.dials_ended += 1;
        match message.get("DialStatus") {
            Some("ANSWER") => call.answer(&linked, extension, message),
            Some("BUSY") => {
                call.dials_busy += 1;
                None
            }
            _ => None,
        }
    }

    fn bridge_enter(&mut self, message: &Message) -> Option<CallEvent> {
        let (linked, call) = self.call_of(message)?;
        let extension = call.phones.get(message.get("Uniqueid")?)?.clone();
        call.answer(&linked, extension, message)
    }

    fn hangup(&mut self, message: &Message) -> Option<CallEvent> {
        let unique = message.get("Uniqueid")?;
        let (linked, call) = self.call_of(message)?;
        call.channels.remove(unique);
        if !call.channels.is_empty() {
            return None;
        }
        let call = self.calls.remove(&linked)?;
        Some(call.event(&linked, EventKind::Ended(call.ending()), message))
    }

    /// After a reconnect, given the `Linkedid`s of the channels Asterisk lists as up: ends every
    /// followed call that has none left (it hung up while the connection was down, and Asterisk
    /// does not say so again), decided from what was seen of it.
    pub fn end_gone(&mut self, live: &HashSet<String>) -> Vec<CallEvent> {
        let gone: Vec<String> = self
            .calls
            .keys()
            .filter(|linked| !live.contains(*linked))
            .cloned()
            .collect();
        gone.into_iter()
            .filter_map(|linked| {
                let call = self.calls.remove(&linked)?;
                let mut event =
                    CallEvent::new(Exchange::Asterisk, linked, EventKind::Ended(call.ending()));
                event.caller = call.caller;
                event.called = call.called;
                Some(event)
            })
            .collect()
    }

    /// The call a message is about: by its `Linkedid`, else by the dialled channel's.
    fn call_of(&mut self, message: &Message) -> Option<(String, &mut Call)> {
        let linked = [message.get("Linkedid"), message.get("DestLinkedid")]
            .into_iter()
            .flatten()
            .find(|id| self.calls.contains_key(*id))?
            .to_string();
        let call = self.calls.get_mut(&linked)?;
        Some((linked, call))
    }
}

impl Call {
    /// The first answer by a person; `None` for every later one.
    fn answer(
        &mut self,
        linked: &str,
        extension: Option<String>,
        message: &Message,
    ) -> Option<CallEvent> {
        if self.answered {
            return None;
        }
        self.answered = true;
        let mut event = self.event(linked, EventKind::Answered, message);
        event.extension = extension;
        Some(event)
    }

    fn ending(&self) -> Ending {
        if self.answered {
            Ending::Answered
        } else if self.phones.is_empty() {
            Ending::VoiceMenu
        } else if self.dials_busy > 0 && self.dials_busy == self.dials_ended {
            Ending::Busy
        } else {
            Ending::Missed
        }
    }

    fn event(&self, linked: &str, kind: EventKind, message: &Message) -> CallEvent {
        let mut event = CallEvent::new(Exchange::Asterisk, linked.to_string(), kind);
        event.caller = self.caller.clone();
        event.called = self.called.clone();
        event.at = timestamp(message);
        event
    }
}

/// A phone, not a `Local/` channel that only passes the call on.
fn is_phone(channel: &str) -> bool {
    !channel
        .get(..6)
        .is_some_and(|tech| tech.eq_ignore_ascii_case("Local/"))
}

/// The extension of a dialled phone: the endpoint in its channel's name (`PJSIP/101-0000001a`
/// is `101`), else the number it was given.
fn extension(channel: &str, message: &Message) -> Option<String> {
    let endpoint = channel
        .split_once('/')
        .and_then(|(_, rest)| rest.rsplit_once('-'))
        .map(|(endpoint, _)| endpoint);
    number(endpoint.or(message.get("DestCallerIDNum")))
}

/// A number as Asterisk gives it; `<unknown>`, `s` (the start extension), empty and absurdly
/// long are none.
fn number(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    let real = !matches!(value, "" | "s" | "<unknown>") && value.chars().count() <= MAX_NUMBER;
    real.then(|| value.to_string())
}

/// The event's time, when `manager.conf` has `timestampevents = yes`
/// (`Timestamp: 1795158931.204017`, seconds since 1970 in UTC).
fn timestamp(message: &Message) -> Option<DateTime<Utc>> {
    let stamp = message.get("Timestamp")?.trim();
    let (seconds, fraction) = stamp.split_once('.').unwrap_or((stamp, ""));
    let nanos = format!("{fraction:0<9}").get(..9)?.parse().ok()?;
    DateTime::from_timestamp(seconds.parse().ok()?, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbx::ami::{Decoder, Frame};
    use crate::pbx::fixtures;

    /// Every message of the recorded session, whatever connection it came on.
    fn session_messages() -> Vec<Message> {
        let text = std::fs::read_to_string(fixtures::path("asterisk/session.ami")).unwrap();
        let wire: String = text
            .lines()
            .filter(|line| !line.starts_with(";;"))
            .map(|line| format!("{line}\r\n"))
            .collect();
        Decoder::default()
            .feed(wire.as_bytes())
            .into_iter()
            .filter_map(|frame| match frame {
                Frame::Message(message) => Some(message),
                Frame::Banner(_) => None,
            })
            .collect()
    }

    fn events() -> Vec<CallEvent> {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let events = session_messages()
            .iter()
            .filter_map(|m| tracker.handle(m))
            .collect();
        assert_eq!(
            tracker.calls_in_progress(),
            0,
            "every call of the session ended"
        );
        events
    }

    fn of_call(events: &[CallEvent], call_id: &str) -> Vec<EventKind> {
        events
            .iter()
            .filter(|e| e.call_id == call_id)
            .map(|e| e.kind)
            .collect()
    }

    #[test]
    fn an_asterisk_call_answered_in_a_ring_group_rings_once_and_ends_answered() {
        let events = events();
        assert_eq!(
            of_call(&events, "1795158902.101"),
            [
                EventKind::Ringing,
                EventKind::Answered,
                EventKind::Ended(Ending::Answered)
            ]
        );
        let ringing = &events[0];
        assert_eq!(ringing.exchange, Exchange::Asterisk);
        assert_eq!(ringing.caller.as_deref(), Some("79161234567"));
        assert_eq!(ringing.called.as_deref(), Some("74951234567"));
        let answered = &events[1];
        assert_eq!(
            answered.extension.as_deref(),
            Some("101"),
            "the phone, not Local/"
        );
        assert_eq!(answered.at.unwrap().timestamp_millis(), 1_795_158_931_204);
    }

    #[test]
    fn an_asterisk_call_nobody_answered_ends_missed() {
        assert_eq!(
            of_call(&events(), "1795159367.120"),
            [EventKind::Ringing, EventKind::Ended(Ending::Missed)]
        );
    }

    #[test]
    fn an_asterisk_call_that_hung_up_in_the_voice_menu_is_not_missed() {
        assert_eq!(
            of_call(&events(), "1795163410.140"),
            [EventKind::Ringing, EventKind::Ended(Ending::VoiceMenu)]
        );
    }

    #[test]
    fn an_asterisk_call_to_a_busy_phone_ends_busy() {
        assert_eq!(
            of_call(&events(), "1795163502.150"),
            [EventKind::Ringing, EventKind::Ended(Ending::Busy)]
        );
    }

    #[test]
    fn internal_calls_are_not_followed() {
        assert!(of_call(&events(), "1795163600.160").is_empty());
    }

    #[test]
    fn a_call_under_way_before_the_connection_is_not_followed() {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let hangup: Message = [
            ("Event", "Hangup"),
            ("Uniqueid", "1795150000.1"),
            ("Linkedid", "1795150000.1"),
        ]
        .into_iter()
        .collect();
        assert_eq!(tracker.handle(&hangup), None);
    }

    #[test]
    fn extensions_come_from_the_dialled_channel() {
        let none = Message::default();
        assert_eq!(
            extension("PJSIP/101-0000001a", &none).as_deref(),
            Some("101")
        );
        assert_eq!(extension("SIP/102-00000003", &none).as_deref(), Some("102"));
        assert!(!is_phone("Local/101@from-queue-00000012;1"));
        assert!(is_phone("PJSIP/101-0000001a"));
    }
}
