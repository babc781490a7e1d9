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
//! - Across a lost connection or a restart: the channels Asterisk lists as up when the
//!   connection opens again ([`Listing`]) say what became of the calls followed before: a
//!   channel not listed hung up meanwhile, a phone listed as up answered, a phone listed ringing
//!   rings for the call. A call with no channel left ended while nobody looked. Calls a
//!   restarted server had not seen end yet are followed again from the store ([`Resumed`]).
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
    /// Followed again after a restart, with what happened before it unknown: a phone may have
    /// rung, so a call nobody is seen to answer ends missed (the desk calls back rather than
    /// lose the caller).
    resumed: bool,
    since: Instant,
}

/// A call of the exchange the store holds as not ended when the server starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resumed {
    /// The call's `Linkedid`.
    pub linked: String,
    /// The caller's number, as the exchange sent it.
    pub caller: Option<String>,
    /// The number the caller dialled.
    pub called: Option<String>,
    /// Whether a person had answered.
    pub answered: bool,
}

/// Most channels a listing keeps; Asterisk lists every channel up, of any call.
const MAX_LISTED: usize = 10_000;

/// The channels of the followed calls as they stood when the list of channels up was asked for
/// (after a connection opened), and what Asterisk then listed of them.
#[derive(Debug, Default)]
pub struct Listing {
    asked: HashMap<String, HashSet<String>>,
    listed: Vec<Listed>,
    /// Channels that hung up while the list came: listed or not, they are gone.
    gone: HashSet<String>,
}

/// One channel a `CoreShowChannel` lists.
#[derive(Debug)]
struct Listed {
    unique: String,
    linked: String,
    channel: String,
    up: bool,
}

impl Listing {
    /// Reads an event that came while the list did: a channel's hangup is kept, since the list
    /// may name the channel as up from before it.
    pub fn meanwhile(&mut self, message: &Message) {
        if message.event() != Some("Hangup") || self.gone.len() >= MAX_LISTED {
            return;
        }
        if let Some(unique) = message.get("Uniqueid") {
            self.gone.insert(unique.to_string());
        }
    }

    /// Reads one `CoreShowChannel`; channels of calls not asked about are none of its business.
    pub fn add(&mut self, message: &Message) {
        let (Some(unique), Some(linked)) = (message.get("Uniqueid"), message.get("Linkedid"))
        else {
            return;
        };
        if !self.asked.contains_key(linked) || self.listed.len() >= MAX_LISTED {
            return;
        }
        // `ChannelState` 6 is `Up` (answered); Asterisk also gives the word.
        let up = message.get("ChannelState").map(str::trim) == Some("6")
            || message
                .get("ChannelStateDesc")
                .is_some_and(|d| d.trim().eq_ignore_ascii_case("up"));
        self.listed.push(Listed {
            unique: unique.to_string(),
            linked: linked.to_string(),
            channel: message.get("Channel").unwrap_or_default().to_string(),
            up,
        });
    }
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

    /// Follows again the calls a restarted server had not seen end (see [`Resumed`]); their
    /// channels are learnt from the next [`Listing`].
    pub fn resume(&mut self, calls: impl IntoIterator<Item = Resumed>) {
        for resumed in calls {
            if resumed.linked.len() > MAX_ID || self.calls.contains_key(&resumed.linked) {
                continue;
            }
            let call = Call {
                caller: resumed.caller,
                called: resumed.called,
                channels: HashSet::new(),
                phones: HashMap::new(),
                dials_ended: 0,
                dials_busy: 0,
                answered: resumed.answered,
                resumed: true,
                since: Instant::now(),
            };
            self.calls.insert(resumed.linked, call);
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
            resumed: false,
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
        // A channel never seen (up before the connection opened, and not listed yet) ends
        // nothing: the call's other channels may still be up.
        if !call.channels.remove(unique) || !call.channels.is_empty() {
            return None;
        }
        let call = self.calls.remove(&linked)?;
        Some(call.event(&linked, EventKind::Ended(call.ending()), message))
    }

    /// The channels of the calls followed now, to be compared with what Asterisk lists when
    /// asked (after a connection opened). A call that starts after this is not in it.
    pub fn listing(&self) -> Listing {
        Listing {
            asked: self
                .calls
                .iter()
                .map(|(linked, call)| (linked.clone(), call.channels.clone()))
                .collect(),
            listed: Vec::new(),
            gone: HashSet::new(),
        }
    }

    /// What the channels listed say of the calls asked about: a channel known then and not
    /// listed hung up meanwhile; a listed channel unknown before is the call's (a phone that
    /// began to ring while nobody looked); a phone listed as up answered. A call left with no
    /// channel ended while the connection was down, decided from what was seen of it. Gives
    /// the answers and the ends, in that order.
    pub fn reconcile(&mut self, listing: Listing) -> Vec<CallEvent> {
        let mut events = Vec::new();
        let mut ended = Vec::new();
        for (linked, asked) in listing.asked {
            // Ended meanwhile by an event of its own.
            let Some(call) = self.calls.get_mut(&linked) else {
                continue;
            };
            let listed: Vec<&Listed> = listing
                .listed
                .iter()
                .filter(|l| l.linked == linked && !listing.gone.contains(&l.unique))
                .collect();
            call.channels
                .retain(|c| !asked.contains(c) || listed.iter().any(|l| &l.unique == c));
            for channel in listed {
                call.channels.insert(channel.unique.clone());
                if channel.unique == linked || !is_phone(&channel.channel) {
                    continue;
                }
                let extension = extension(&channel.channel, &Message::default());
                call.phones
                    .entry(channel.unique.clone())
                    .or_insert_with(|| extension.clone());
                if channel.up {
                    events.extend(call.answer(&linked, extension, &Message::default()));
                }
            }
            if call.channels.is_empty() {
                ended.push(linked);
            }
        }
        for linked in ended {
            if let Some(call) = self.calls.remove(&linked) {
                let kind = EventKind::Ended(call.ending());
                events.push(call.event(&linked, kind, &Message::default()));
            }
        }
        events
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
        } else if self.phones.is_empty() && self.resumed {
            Ending::Missed
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

    fn message(fields: &[(&str, &str)]) -> Message {
        fields.iter().copied().collect()
    }

    /// A call's trunk channel `linked` rings in from the street.
    fn rings_in(tracker: &mut Tracker, linked: &str) -> Option<CallEvent> {
        tracker.handle(&message(&[
            ("Event", "Newchannel"),
            ("Uniqueid", linked),
            ("Linkedid", linked),
            ("Context", "from-pstn"),
            ("CallerIDNum", "79161234567"),
            ("Exten", "74951234567"),
        ]))
    }

    /// The call `linked` dials the phone `channel` (`unique`).
    fn dials(tracker: &mut Tracker, linked: &str, channel: &str, unique: &str) {
        let dial = message(&[
            ("Event", "DialBegin"),
            ("Linkedid", linked),
            ("DestChannel", channel),
            ("DestUniqueid", unique),
            ("DestLinkedid", linked),
        ]);
        assert_eq!(tracker.handle(&dial), None);
    }

    fn hangs_up(tracker: &mut Tracker, linked: &str, unique: &str) -> Option<CallEvent> {
        tracker.handle(&message(&[
            ("Event", "Hangup"),
            ("Uniqueid", unique),
            ("Linkedid", linked),
        ]))
    }

    /// A `CoreShowChannel` of the list asked for after a reconnect.
    fn listed(channel: &str, unique: &str, linked: &str, state: &str) -> Message {
        message(&[
            ("Event", "CoreShowChannel"),
            ("ActionID", "callfaq-channels"),
            ("Channel", channel),
            ("Uniqueid", unique),
            ("Linkedid", linked),
            ("ChannelState", state),
        ])
    }

    fn kinds(events: &[CallEvent]) -> Vec<EventKind> {
        events.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn a_phone_that_stopped_ringing_while_the_connection_was_down_does_not_hold_the_call_open() {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let linked = "1795170000.10";
        assert!(rings_in(&mut tracker, linked).is_some());
        dials(&mut tracker, linked, "PJSIP/101-00000001", "1795170000.11");
        // Down: 101 stops ringing, the queue rings 201. Up again: the trunk and 201 listed.
        let mut listing = tracker.listing();
        listing.add(&listed("PJSIP/sipnet-00000001", linked, linked, "4"));
        listing.add(&listed("PJSIP/201-00000002", "1795170000.12", linked, "5"));
        assert!(tracker.reconcile(listing).is_empty(), "still ringing");
        let cancel = message(&[
            ("Event", "DialEnd"),
            ("Linkedid", linked),
            ("DestUniqueid", "1795170000.12"),
            ("DialStatus", "CANCEL"),
        ]);
        assert_eq!(tracker.handle(&cancel), None);
        assert_eq!(hangs_up(&mut tracker, linked, "1795170000.12"), None);
        let ended = hangs_up(&mut tracker, linked, linked).expect("the call ends");
        assert_eq!(ended.kind, EventKind::Ended(Ending::Missed));
        assert_eq!(tracker.calls_in_progress(), 0);
    }

    #[test]
    fn a_call_answered_while_the_connection_was_down_ends_answered_by_that_phone() {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let linked = "1795170100.20";
        rings_in(&mut tracker, linked);
        dials(&mut tracker, linked, "PJSIP/101-00000003", "1795170100.21");
        let mut listing = tracker.listing();
        listing.add(&listed("PJSIP/sipnet-00000003", linked, linked, "6"));
        listing.add(&listed("PJSIP/101-00000003", "1795170100.21", linked, "6"));
        let events = tracker.reconcile(listing);
        assert_eq!(kinds(&events), [EventKind::Answered]);
        assert_eq!(events[0].extension.as_deref(), Some("101"));
        assert_eq!(events[0].caller.as_deref(), Some("79161234567"));
        assert_eq!(hangs_up(&mut tracker, linked, "1795170100.21"), None);
        let ended = hangs_up(&mut tracker, linked, linked).unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::Answered));
    }

    #[test]
    fn a_call_that_begins_while_the_channels_are_listed_is_followed() {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let (a, b) = ("1795170200.30", "1795170210.40");
        rings_in(&mut tracker, a);
        let listing = tracker.listing();
        // B begins after the list was asked for; the list names neither it nor A.
        assert!(rings_in(&mut tracker, b).is_some());
        dials(&mut tracker, b, "PJSIP/201-00000005", "1795170210.41");
        let events = tracker.reconcile(listing);
        assert_eq!(kinds(&events), [EventKind::Ended(Ending::VoiceMenu)]);
        assert_eq!(events[0].call_id, a, "only A, gone meanwhile, ends");
        assert_eq!(tracker.calls_in_progress(), 1);
        let answer = message(&[
            ("Event", "DialEnd"),
            ("Linkedid", b),
            ("DestUniqueid", "1795170210.41"),
            ("DialStatus", "ANSWER"),
        ]);
        let answered = tracker.handle(&answer).expect("B is answered");
        assert_eq!(answered.extension.as_deref(), Some("201"));
    }

    #[test]
    fn a_leg_that_hangs_up_while_the_list_comes_is_not_put_back() {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let linked = "1795170400.90";
        rings_in(&mut tracker, linked);
        dials(&mut tracker, linked, "PJSIP/101-0000000c", "1795170400.91");
        let mut listing = tracker.listing();
        // Listed as ringing; while the list still comes, 101 gives up and 201 rings.
        listing.add(&listed("PJSIP/sipnet-0000000c", linked, linked, "4"));
        listing.add(&listed("PJSIP/101-0000000c", "1795170400.91", linked, "5"));
        let gone = message(&[
            ("Event", "Hangup"),
            ("Uniqueid", "1795170400.91"),
            ("Linkedid", linked),
        ]);
        listing.meanwhile(&gone);
        assert_eq!(tracker.handle(&gone), None);
        dials(&mut tracker, linked, "PJSIP/201-0000000d", "1795170400.92");
        assert!(tracker.reconcile(listing).is_empty());
        assert_eq!(hangs_up(&mut tracker, linked, "1795170400.92"), None);
        let ended = hangs_up(&mut tracker, linked, linked).expect("nothing holds it open");
        assert_eq!(ended.kind, EventKind::Ended(Ending::Missed));
    }

    #[test]
    fn calls_a_restarted_server_had_not_seen_end_are_followed_again() {
        let mut tracker = Tracker::new(INBOUND_CONTEXTS.iter().copied());
        let gone = Resumed {
            linked: "1795170300.50".into(),
            caller: Some("79031112233".into()),
            called: Some("74951234567".into()),
            answered: false,
        };
        let talking = Resumed {
            linked: "1795170310.60".into(),
            caller: Some("79854445566".into()),
            called: None,
            answered: true,
        };
        tracker.resume([gone, talking.clone()]);
        assert_eq!(tracker.calls_in_progress(), 2);
        // A channel not listed yet hanging up ends nothing.
        assert_eq!(
            hangs_up(&mut tracker, &talking.linked, "1795170310.61"),
            None
        );
        let mut listing = tracker.listing();
        listing.add(&listed(
            "PJSIP/sipnet-0000000a",
            &talking.linked,
            &talking.linked,
            "6",
        ));
        listing.add(&listed(
            "PJSIP/102-0000000b",
            "1795170310.62",
            &talking.linked,
            "6",
        ));
        let events = tracker.reconcile(listing);
        assert_eq!(
            kinds(&events),
            [EventKind::Ended(Ending::Missed)],
            "the one that rang and is gone was missed: the desk calls back"
        );
        assert_eq!(events[0].caller.as_deref(), Some("79031112233"));
        assert_eq!(
            hangs_up(&mut tracker, &talking.linked, "1795170310.62"),
            None
        );
        let ended = hangs_up(&mut tracker, &talking.linked, &talking.linked).unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::Answered));
        assert_eq!(ended.caller.as_deref(), Some("79854445566"));
    }
}
