//! The Asterisk feed: the AMI client ([`crate::pbx::ami::AmiClient`]) follows the calls on its
//! own thread and socket, and this job takes each event it reports with `actions::pbx`, in
//! order, on a thread of its own, so that the client never waits for the database.
//!
//! Started by `callfaq serve --ami HOST:PORT`; [`AmiFeed::stop`] stops the client, then takes
//! the events it had reported, then returns.

use crate::actions::pbx;
use crate::app::App;
use crate::pbx::ami::{AmiClient, AmiSettings, Resumed};
use crate::pbx::{CallEvent, Exchange};
use crate::store::ExchangeState;
use std::sync::Arc;
use std::thread::JoinHandle;

/// Most calls not ended that a start follows again.
const MAX_RESUMED: usize = 1_000;

/// The running client and the thread that takes its events.
pub struct AmiFeed {
    client: Option<AmiClient>,
    worker: Option<JoinHandle<()>>,
}

impl AmiFeed {
    /// Connects to the AMI (and keeps reconnecting) and takes every call event it reports.
    /// The calls the store holds as ringing or answered (the server stopped before their end)
    /// are followed again, so that a restart while a call rings loses no missed call.
    pub fn start(app: &Arc<App>, mut settings: AmiSettings) -> std::io::Result<AmiFeed> {
        settings.resume = unended(app);
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

/// Calls the exchange has that the store holds as not ended, from the last half day (the
/// tracker forgets a call after that long anyway).
fn unended(app: &App) -> Vec<Resumed> {
    let since = app.clock.now() - chrono::Duration::hours(12);
    let calls = app
        .store
        .unended_exchange_calls(Some(Exchange::Asterisk.as_str()), since, MAX_RESUMED)
        .unwrap_or_else(|e| {
            tracing::warn!("the exchange's calls not ended could not be read: {e:#}");
            Vec::new()
        });
    calls
        .into_iter()
        .map(|call| Resumed {
            linked: call.call_id,
            caller: call.caller,
            called: call.called,
            answered: call.state == ExchangeState::Answered,
        })
        .collect()
}
