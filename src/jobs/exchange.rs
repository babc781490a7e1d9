//! The Asterisk feed: the AMI client ([`crate::pbx::ami::AmiClient`]) follows the calls on its
//! own thread and socket, and this job takes each event it reports with `actions::pbx`, in
//! order, on a thread of its own, so that the client never waits for the database.
//!
//! Started by `callfaq serve --ami HOST:PORT`; [`AmiFeed::stop`] stops the client, then takes
//! the events it had reported, then returns.

use crate::actions::pbx;
use crate::app::App;
use crate::pbx::ami::{AmiClient, AmiSettings};
use crate::pbx::{CallEvent, Exchange};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The running client and the thread that takes its events.
pub struct AmiFeed {
    client: Option<AmiClient>,
    worker: Option<JoinHandle<()>>,
}

impl AmiFeed {
    /// Connects to the AMI (and keeps reconnecting) and takes every call event it reports.
    pub fn start(app: &Arc<App>, settings: AmiSettings) -> std::io::Result<AmiFeed> {
        let (sender, events) = std::sync::mpsc::channel::<CallEvent>();
        let worker = std::thread::Builder::new()
            .name("ami-events".into())
            .spawn({
                let app = Arc::clone(app);
                move || {
                    let actor = pbx::exchange_actor(Exchange::Asterisk);
                    // Ends when the client stops and its sender is dropped.
                    for event in events {
                        let key = event.key();
                        if let Err(e) = pbx::take(&app, &actor, event) {
                            tracing::warn!(event = %key, "an AMI event was not taken: {e}");
                        }
                    }
                }
            })?;
        let client = AmiClient::start(settings, move |event| {
            // The worker lives until this sender is dropped.
            let _ = sender.send(event);
        })?;
        Ok(AmiFeed {
            client: Some(client),
            worker: Some(worker),
        })
    }

    /// Stops the client, takes the events it reported, and returns.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(client) = self.client.take() {
            client.stop();
        }
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for AmiFeed {
    fn drop(&mut self) {
        self.halt();
    }
}
