//! Asterisk and FreePBX through the Asterisk Manager Interface (AMI): the wire format here,
//! the call tracker in [`tracker`], the TCP client in [`client`].
//!
//! Follows the Asterisk documentation, "Asterisk Manager Interface (AMI)" and the "AMI Events"
//! reference (<https://docs.asterisk.org>): on connecting, the server sends one line,
//! `Asterisk Call Manager/<version>`; after that, actions, responses and events are messages of
//! `Key: Value` lines ended by `\r\n`, each message ended by an empty line. `Action: Login`
//! with `Username` and `Secret` (a user of `manager.conf`) opens the event stream.
//!
//! This file owns reading and writing that format, bounded so that a broken peer cannot grow a
//! message without end. What the messages mean for a call is [`tracker`]'s.

pub mod client;
pub mod tracker;

pub use client::{AmiClient, AmiSettings};
pub use tracker::{Resumed, Tracker};

use super::PbxError;

/// The start of the line the server greets with.
const BANNER: &str = "Asterisk Call Manager/";
/// Longest line read; Asterisk's own lines are far shorter.
const MAX_LINE: usize = 16 * 1024;
/// Most fields in one message; Asterisk's events have a few dozen.
const MAX_FIELDS: usize = 512;
/// The `ActionID` of the login, to match its response.
const LOGIN_ID: &str = "callfaq-login";

/// What the server sends: its greeting, then messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// `Asterisk Call Manager/5.0.2`: the protocol version after the slash.
    Banner(String),
    /// An event or a response to an action.
    Message(Message),
}

/// One message: its `Key: Value` fields in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    fields: Vec<(String, String)>,
}

impl Message {
    /// The value of the first field `key`; keys are compared without case, as Asterisk does.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The event's name (`Newchannel`, `Hangup`...), if the message is an event.
    pub fn event(&self) -> Option<&str> {
        self.get("Event")
    }

    /// `Success`, `Error`, `Follows`..., if the message is a response to an action.
    pub fn response(&self) -> Option<&str> {
        self.get("Response")
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Message {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(fields: I) -> Message {
        Message {
            fields: fields
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

/// Reads frames from the bytes of a connection, however they are split into reads. A message
/// beyond any Asterisk sends of its own (a line over [`MAX_LINE`], more than [`MAX_FIELDS`]
/// fields: a `UserEvent` with a large body, say) is left aside whole and counted, and the
/// connection reads on: the events after it are not lost with it.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Bytes of a line not ended yet.
    pending: Vec<u8>,
    /// Fields of a message not ended yet.
    fields: Vec<(String, String)>,
    /// The rest of the current line is left aside (it ran past [`MAX_LINE`]).
    skipping_line: bool,
    /// The current message is left aside, up to its empty line.
    skipping_message: bool,
    /// Messages left aside since [`Decoder::take_skipped`] was last asked.
    skipped: usize,
}

impl Decoder {
    /// Takes the next bytes read; gives the frames they complete.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Vec<Frame> {
        let mut frames = Vec::new();
        if self.skipping_line {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    self.skipping_line = false;
                    bytes = &bytes[end + 1..];
                }
                None => return frames,
            }
        }
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(end) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let line = &self.pending[start..start + end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = String::from_utf8_lossy(line).into_owned();
            start += end + 1;
            if let Some(frame) = self.line(&line) {
                frames.push(frame);
            }
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_LINE {
            self.pending = Vec::new();
            self.skipping_line = true;
            self.skip_message();
        }
        frames
    }

    /// How many messages were left aside since last asked.
    pub fn take_skipped(&mut self) -> usize {
        std::mem::take(&mut self.skipped)
    }

    fn skip_message(&mut self) {
        if !self.skipping_message {
            self.skipped += 1;
        }
        self.fields = Vec::new();
        self.skipping_message = true;
    }

    fn line(&mut self, line: &str) -> Option<Frame> {
        if line.trim().is_empty() {
            let fields = std::mem::take(&mut self.fields);
            if std::mem::take(&mut self.skipping_message) {
                return None;
            }
            return (!fields.is_empty()).then_some(Frame::Message(Message { fields }));
        }
        if self.skipping_message {
            return None;
        }
        if line.len() > MAX_LINE {
            self.skip_message();
            return None;
        }
        if self.fields.is_empty() {
            if let Some(version) = line.strip_prefix(BANNER) {
                return Some(Frame::Banner(version.trim().to_string()));
            }
        }
        // A line without a colon (the text of a command's output) carries no field.
        if let Some((key, value)) = line.split_once(':') {
            if self.fields.len() == MAX_FIELDS {
                self.skip_message();
                return None;
            }
            self.fields
                .push((key.trim().to_string(), value.trim().to_string()));
        }
        None
    }
}

/// An action as sent: `Action: <name>`, the fields, an empty line. A value with a line break
/// would smuggle in fields of its own, so it is refused.
pub fn action(name: &str, fields: &[(&str, &str)]) -> Result<String, PbxError> {
    let mut text = String::new();
    for (key, value) in [("Action", name)].iter().chain(fields) {
        if value.contains(['\r', '\n']) || key.contains(['\r', '\n', ':']) {
            return Err(PbxError::Malformed(format!(
                "the AMI field `{key}` has a line break"
            )));
        }
        text.push_str(&format!("{key}: {value}\r\n"));
    }
    text.push_str("\r\n");
    Ok(text)
}

/// The login action for a `manager.conf` user, asking for every event that user may read.
pub fn login(username: &str, secret: &str) -> Result<String, PbxError> {
    action(
        "Login",
        &[
            ("ActionID", LOGIN_ID),
            ("Username", username),
            ("Secret", secret),
            ("Events", "on"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_and_messages_are_read_however_the_bytes_are_split() {
        let wire = "Asterisk Call Manager/5.0.2\r\nResponse: Success\r\nActionID: callfaq-login\r\n\
                    Message: Authentication accepted\r\n\r\nEvent: FullyBooted\r\nStatus: Fully Booted\r\n\r\n";
        for split in 1..wire.len() {
            let mut decoder = Decoder::default();
            let mut frames = decoder.feed(&wire.as_bytes()[..split]);
            frames.extend(decoder.feed(&wire.as_bytes()[split..]));
            assert_eq!(frames.len(), 3, "split at {split}");
            assert_eq!(frames[0], Frame::Banner("5.0.2".into()));
            let Frame::Message(login) = &frames[1] else {
                panic!("a message")
            };
            assert_eq!(login.response(), Some("Success"));
            assert_eq!(login.get("actionid"), Some(LOGIN_ID));
            let Frame::Message(booted) = &frames[2] else {
                panic!("a message")
            };
            assert_eq!(booted.event(), Some("FullyBooted"));
            assert_eq!(booted.get("Status"), Some("Fully Booted"));
        }
    }

    #[test]
    fn values_keep_their_colons() {
        let mut decoder = Decoder::default();
        let frames = decoder.feed(b"Event: VarSet\nValue: sip:101@pbx:5060\n\n");
        let [Frame::Message(message)] = &frames[..] else {
            panic!("one message")
        };
        assert_eq!(message.get("Value"), Some("sip:101@pbx:5060"));
    }

    #[test]
    fn an_endless_line_leaves_its_message_aside_and_the_next_one_is_read() {
        let mut decoder = Decoder::default();
        let mut frames = decoder.feed(b"Event: Weird\r\nX: ");
        for _ in 0..(MAX_LINE / 1000 + 2) {
            frames.extend(decoder.feed(&[b'x'; 1000]));
        }
        assert!(decoder.pending.len() <= MAX_LINE, "not held");
        frames.extend(decoder.feed(b"\r\nY: 1\r\n\r\nEvent: Hangup\r\nLinkedid: 7\r\n\r\n"));
        assert_eq!(
            frames,
            vec![Frame::Message(
                [("Event", "Hangup"), ("Linkedid", "7")]
                    .into_iter()
                    .collect()
            )]
        );
        assert_eq!(decoder.take_skipped(), 1);
        assert_eq!(decoder.take_skipped(), 0);
    }

    #[test]
    fn an_endless_message_is_left_aside_and_the_next_one_is_read() {
        let mut decoder = Decoder::default();
        let wire = format!(
            "{}\r\nEvent: Hangup\r\n\r\n",
            "Key: value\r\n".repeat(MAX_FIELDS + 1)
        );
        let frames = decoder.feed(wire.as_bytes());
        assert_eq!(
            frames,
            vec![Frame::Message([("Event", "Hangup")].into_iter().collect())]
        );
        assert_eq!(decoder.take_skipped(), 1);
    }

    #[test]
    fn the_login_action_is_crlf_lines_and_an_empty_line() {
        assert_eq!(
            login("callfaq", "s3cret").unwrap(),
            "Action: Login\r\nActionID: callfaq-login\r\nUsername: callfaq\r\nSecret: s3cret\r\n\
             Events: on\r\n\r\n"
        );
    }

    #[test]
    fn a_secret_with_a_line_break_cannot_smuggle_an_action() {
        assert!(login("callfaq", "x\r\n\r\nAction: Originate").is_err());
    }
}
