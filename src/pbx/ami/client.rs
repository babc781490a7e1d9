//! The AMI client: one thread, one TCP connection to Asterisk's manager port, logged in as a
//! `manager.conf` user, reading events into a [`Tracker`] and handing each [`CallEvent`] to a
//! callback.
//!
//! A dropped connection (Asterisk restarting, the network) is opened again after a wait that
//! starts at one second and doubles up to thirty; calls in progress stay tracked across it, so
//! a call that hangs up after the reconnect still ends, and the channels Asterisk lists as up
//! on reconnecting say what happened to them meanwhile. A connection that says nothing for a
//! while is pinged, and dropped if it stays silent. [`AmiClient::stop`] ends the thread
//! within about a second, whatever it is doing.
//!
//! What the callback does with the events (the store, the desk's screens) is the caller's.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::tracker::{Listing, Resumed, Tracker, INBOUND_CONTEXTS};
use super::{action, login, Decoder, Frame, LOGIN_ID};
use crate::pbx::CallEvent;

/// How long connecting may take; also bounds how long a stop waits for it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How often a blocked read looks at the stop flag.
const POLL: Duration = Duration::from_millis(100);
/// Silence after which the connection is pinged; three times this and it is dropped.
const PING_AFTER: Duration = Duration::from_secs(30);
/// The `ActionID` of the list of channels asked for after a reconnect.
const CHANNELS_ID: &str = "callfaq-channels";
/// Time from connecting to the login's answer.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Where and as whom to connect.
#[derive(Debug, Clone)]
pub struct AmiSettings {
    /// `host:port` of the manager interface (`manager.conf`'s `port`, usually 5038).
    pub address: String,
    /// The `manager.conf` user (`[callfaq]`), with `read = call,dialplan` at least.
    pub username: String,
    /// That user's `secret`.
    pub secret: String,
    /// Contexts incoming calls start in (see [`INBOUND_CONTEXTS`]).
    pub inbound_contexts: Vec<String>,
    /// The first wait before connecting again; it doubles after each failure.
    pub retry_first: Duration,
    /// The longest wait before connecting again.
    pub retry_max: Duration,
    /// Calls the store holds as not ended, followed again from the first connection.
    pub resume: Vec<Resumed>,
}

impl AmiSettings {
    /// Settings for `address` and a `manager.conf` user, with FreePBX's inbound contexts and
    /// waits of 1 s doubling to 30 s.
    pub fn new(address: &str, username: &str, secret: &str) -> AmiSettings {
        AmiSettings {
            address: address.to_string(),
            username: username.to_string(),
            secret: secret.to_string(),
            inbound_contexts: INBOUND_CONTEXTS.iter().map(|c| c.to_string()).collect(),
            retry_first: Duration::from_secs(1),
            retry_max: Duration::from_secs(30),
            resume: Vec::new(),
        }
    }
}

/// The running client; stopped by [`AmiClient::stop`] or when dropped.
#[derive(Debug)]
pub struct AmiClient {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl AmiClient {
    /// Starts the client's thread. `on_event` is called on that thread for every event, in
    /// order; it should hand the event on (a channel, a queue) rather than block.
    pub fn start(
        settings: AmiSettings,
        on_event: impl FnMut(CallEvent) + Send + 'static,
    ) -> std::io::Result<AmiClient> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("ami".into())
            .spawn(move || run(&settings, &flag, on_event))?;
        Ok(AmiClient {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the client and waits for its thread, which closes the connection.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for AmiClient {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Connects, reads until the connection drops, waits, connects again; until stopped.
fn run(settings: &AmiSettings, stop: &AtomicBool, mut on_event: impl FnMut(CallEvent)) {
    let mut tracker = Tracker::new(settings.inbound_contexts.iter().cloned());
    tracker.resume(settings.resume.iter().cloned());
    let mut wait = settings.retry_first;
    while !stop.load(Ordering::Relaxed) {
        let mut logged_in = false;
        match session(settings, stop, &mut tracker, &mut on_event, &mut logged_in) {
            Ok(()) => return,
            Err(error) => tracing::warn!(
                address = %settings.address,
                calls_in_progress = tracker.calls_in_progress(),
                "AMI connection lost: {error}"
            ),
        }
        if logged_in {
            wait = settings.retry_first;
        }
        sleep_unless_stopped(wait, stop);
        wait = (wait * 2).min(settings.retry_max);
    }
}

/// One connection: banner, login, events. `Ok` when stopped, the error when it dropped.
fn session(
    settings: &AmiSettings,
    stop: &AtomicBool,
    tracker: &mut Tracker,
    on_event: &mut impl FnMut(CallEvent),
    logged_in: &mut bool,
) -> std::io::Result<()> {
    let mut stream = TcpStream::connect_timeout(&resolve(&settings.address)?, CONNECT_TIMEOUT)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_write_timeout(Some(CONNECT_TIMEOUT))?;
    let login = login(&settings.username, &settings.secret).map_err(invalid)?;
    let ping = action("Ping", &[("ActionID", "callfaq-ping")]).map_err(invalid)?;
    let channels = action("CoreShowChannels", &[("ActionID", CHANNELS_ID)]).map_err(invalid)?;
    // The calls followed when the list of channels up was asked for, and what it lists so far.
    let mut listing: Option<Listing> = None;
    let connected = Instant::now();
    let mut heard = Instant::now();
    let mut pinged = false;
    let mut decoder = Decoder::default();
    let mut buffer = [0u8; 8192];
    while !stop.load(Ordering::Relaxed) {
        let read = match stream.read(&mut buffer) {
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(read) => read,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => 0,
            Err(e) => return Err(e),
        };
        if read == 0 {
            if !*logged_in && connected.elapsed() > LOGIN_TIMEOUT {
                return Err(std::io::Error::new(ErrorKind::TimedOut, "no login answer"));
            }
            if heard.elapsed() > PING_AFTER * 3 {
                return Err(std::io::Error::new(
                    ErrorKind::TimedOut,
                    "silent connection",
                ));
            }
            if heard.elapsed() > PING_AFTER && !pinged {
                stream.write_all(ping.as_bytes())?;
                pinged = true;
            }
            continue;
        }
        heard = Instant::now();
        pinged = false;
        let frames = decoder.feed(&buffer[..read]);
        let skipped = decoder.take_skipped();
        if skipped > 0 {
            tracing::warn!(skipped, "AMI message beyond any Asterisk event left aside");
        }
        for frame in frames {
            match frame {
                Frame::Banner(_) => stream.write_all(login.as_bytes())?,
                Frame::Message(message) if !*logged_in => {
                    if message.get("ActionID") != Some(LOGIN_ID) {
                        continue;
                    }
                    if message.response() != Some("Success") {
                        let said = message.get("Message").unwrap_or("refused");
                        let said = crate::pbx::clip(said, 200);
                        return Err(std::io::Error::new(ErrorKind::PermissionDenied, said));
                    }
                    *logged_in = true;
                    tracing::info!(address = %settings.address, "AMI logged in");
                    // Calls followed before the connection dropped (or the server restarted):
                    // what became of them?
                    if tracker.calls_in_progress() > 0 {
                        stream.write_all(channels.as_bytes())?;
                        listing = Some(tracker.listing());
                    }
                }
                Frame::Message(message) if message.get("ActionID") == Some(CHANNELS_ID) => {
                    let Some(live) = listing.as_mut() else {
                        continue;
                    };
                    match message.event() {
                        Some("CoreShowChannel") => live.add(&message),
                        Some("CoreShowChannelsComplete") => {
                            if let Some(live) = listing.take() {
                                for event in tracker.reconcile(live) {
                                    on_event(event);
                                }
                            }
                        }
                        _ if message.response() == Some("Error") => {
                            tracing::warn!(
                                address = %settings.address,
                                "AMI refused CoreShowChannels (give the manager user `write = reporting`): \
                                 calls that ended while the connection was down stay unended"
                            );
                            listing = None;
                        }
                        _ => {}
                    }
                }
                Frame::Message(message) => {
                    if let Some(live) = listing.as_mut() {
                        live.meanwhile(&message);
                    }
                    if let Some(event) = tracker.handle(&message) {
                        on_event(event);
                    }
                }
            }
        }
    }
    Ok(())
}

fn resolve(address: &str) -> std::io::Result<SocketAddr> {
    address.to_socket_addrs()?.next().ok_or_else(|| {
        std::io::Error::new(ErrorKind::NotFound, format!("no address for {address}"))
    })
}

fn invalid(error: crate::pbx::PbxError) -> std::io::Error {
    std::io::Error::new(ErrorKind::InvalidData, error.to_string())
}

fn sleep_unless_stopped(wait: Duration, stop: &AtomicBool) {
    let until = Instant::now() + wait;
    while !stop.load(Ordering::Relaxed) && Instant::now() < until {
        std::thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbx::fixtures;
    use crate::pbx::{Ending, EventKind};
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::sync::mpsc;

    const USER: &str = "callfaq";
    const SECRET: &str = "amp111";

    /// One connection of the recorded session: what the server says before the login, and
    /// after it, and whether it then drops the connection.
    struct Connection {
        greeting: String,
        after_login: String,
        drops: bool,
    }

    /// The connections of `asterisk/session.ami` (directives are lines starting with `;;`),
    /// with the wire's CRLF line ends.
    fn script() -> Vec<Connection> {
        let text = std::fs::read_to_string(fixtures::path("asterisk/session.ami")).unwrap();
        let mut connections: Vec<Connection> = Vec::new();
        let mut before_login = true;
        for line in text.lines() {
            if line.starts_with(";; connection") {
                connections.push(Connection {
                    greeting: String::new(),
                    after_login: String::new(),
                    drops: false,
                });
                before_login = true;
            } else if line.starts_with(";; login") {
                before_login = false;
            } else if line.starts_with(";; drop") {
                connections.last_mut().unwrap().drops = true;
            } else if !line.starts_with(";;") {
                let connection = connections.last_mut().expect("a connection first");
                let part = if before_login {
                    &mut connection.greeting
                } else {
                    &mut connection.after_login
                };
                part.push_str(line);
                part.push_str("\r\n");
            }
        }
        connections
    }

    /// Plays the session to whoever connects; gives the logins it was sent.
    fn serve(listener: TcpListener, script: Vec<Connection>) -> Vec<String> {
        let mut logins = Vec::new();
        for connection in script {
            let (mut stream, _) = listener.accept().unwrap();
            stream.write_all(connection.greeting.as_bytes()).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut action = String::new();
            while !action.ends_with("\r\n\r\n") {
                assert!(
                    reader.read_line(&mut action).unwrap() > 0,
                    "the client left"
                );
            }
            logins.push(action);
            stream.write_all(connection.after_login.as_bytes()).unwrap();
            if !connection.drops {
                // Held open until the client closes it.
                let _ = reader.read_to_end(&mut Vec::new());
            }
        }
        logins
    }

    #[test]
    fn the_client_logs_in_follows_calls_and_reconnects_after_a_drop() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || serve(listener, script()));

        let mut settings = AmiSettings::new(&address, USER, SECRET);
        settings.retry_first = Duration::from_millis(20);
        let (sender, events) = mpsc::channel();
        let client = AmiClient::start(settings, move |event| {
            let _ = sender.send(event);
        })
        .unwrap();
        // A generous bound so that a failure cannot hang the test; no timing is asserted.
        let received: Vec<CallEvent> = (0..9)
            .map(|_| events.recv_timeout(Duration::from_secs(60)).unwrap())
            .collect();
        client.stop();
        let logins = server.join().unwrap();

        assert_eq!(logins.len(), 2, "logged in again after the drop");
        for login in &logins {
            assert!(login.starts_with("Action: Login\r\n"));
            assert!(login.contains(&format!("Username: {USER}\r\n")));
            assert!(login.contains(&format!("Secret: {SECRET}\r\n")));
        }
        let kinds: Vec<(&str, EventKind)> = received
            .iter()
            .map(|e| (e.call_id.as_str(), e.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("1795158902.101", EventKind::Ringing),
                ("1795158902.101", EventKind::Answered),
                ("1795158902.101", EventKind::Ended(Ending::Answered)),
                ("1795159367.120", EventKind::Ringing),
                // The connection dropped while this call rang; it ends after the reconnect.
                ("1795159367.120", EventKind::Ended(Ending::Missed)),
                ("1795163410.140", EventKind::Ringing),
                ("1795163410.140", EventKind::Ended(Ending::VoiceMenu)),
                ("1795163502.150", EventKind::Ringing),
                ("1795163502.150", EventKind::Ended(Ending::Busy)),
            ]
        );
    }

    #[test]
    fn a_call_that_hung_up_while_the_connection_was_down_ends_after_the_reconnect() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let accepted = "Response: Success\r\nActionID: callfaq-login\r\n\
                        Message: Authentication accepted\r\n\r\n";
        // A call rings phone 101; the connection drops.
        let ringing = format!(
            "{accepted}Event: Newchannel\r\nChannel: PJSIP/sipnet-00000050\r\n\
             CallerIDNum: 79031112233\r\nContext: from-pstn\r\nExten: 74951234567\r\n\
             Uniqueid: 1795170000.300\r\nLinkedid: 1795170000.300\r\n\r\n\
             Event: DialBegin\r\nChannel: PJSIP/sipnet-00000050\r\n\
             Uniqueid: 1795170000.300\r\nLinkedid: 1795170000.300\r\n\
             DestChannel: PJSIP/101-00000051\r\nDestUniqueid: 1795170000.301\r\n\
             DestLinkedid: 1795170000.300\r\n\r\n"
        );
        // Back: Asterisk lists no channel of it (the caller hung up meanwhile).
        let listed = format!(
            "{accepted}Response: Success\r\nActionID: callfaq-channels\r\nEventList: start\r\n\
             Message: Channels will follow\r\n\r\n\
             Event: CoreShowChannelsComplete\r\nActionID: callfaq-channels\r\n\
             EventList: Complete\r\nListItems: 0\r\n\r\n"
        );
        let greeting = "Asterisk Call Manager/5.0.2\r\n".to_string();
        let script = vec![
            Connection {
                greeting: greeting.clone(),
                after_login: ringing,
                drops: true,
            },
            Connection {
                greeting,
                after_login: listed,
                drops: false,
            },
        ];
        let server = std::thread::spawn(move || serve(listener, script));
        let mut settings = AmiSettings::new(&address, USER, SECRET);
        settings.retry_first = Duration::from_millis(20);
        let (sender, events) = mpsc::channel();
        let client = AmiClient::start(settings, move |event| {
            let _ = sender.send(event);
        })
        .unwrap();
        let received: Vec<EventKind> = (0..2)
            .map(|_| events.recv_timeout(Duration::from_secs(60)).unwrap().kind)
            .collect();
        client.stop();
        server.join().unwrap();
        assert_eq!(
            received,
            [EventKind::Ringing, EventKind::Ended(Ending::Missed)]
        );
    }

    #[test]
    fn a_refused_login_is_tried_again_later_and_gives_no_events() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let refusal = || Connection {
            greeting: "Asterisk Call Manager/5.0.2\r\n".into(),
            after_login: "Response: Error\r\nActionID: callfaq-login\r\n\
                          Message: Authentication failed\r\n\r\n"
                .into(),
            drops: true,
        };
        let server = std::thread::spawn(move || serve(listener, vec![refusal(), refusal()]));
        let mut settings = AmiSettings::new(&address, USER, "wrong");
        settings.retry_first = Duration::from_millis(20);
        let (sender, events) = mpsc::channel();
        let client = AmiClient::start(settings, move |event| {
            let _ = sender.send(event);
        })
        .unwrap();
        let logins = server.join().unwrap();
        client.stop();
        assert_eq!(logins.len(), 2);
        assert!(events.try_recv().is_err());
    }

    #[test]
    fn a_stopped_client_stops_while_waiting_to_reconnect() {
        // Nobody listens on this port once the listener is gone.
        let address = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .to_string();
        let mut settings = AmiSettings::new(&address, USER, SECRET);
        settings.retry_first = Duration::from_secs(3600);
        let client = AmiClient::start(settings, |_| {}).unwrap();
        client.stop();
    }
}
