//! The listener: accepts connections up to a cap, serves HTTP/1.1 on each with timeouts, and stops
//! gracefully. It serves any router and holds no route: the app it serves is `web`'s.
//!
//! - **Cap**: at most [`Limits::max_connections`] connections are open at once; past it the
//!   server stops accepting (new connections wait in the kernel's queue) until one closes, so
//!   that idle sockets can never use up the process's file descriptors.
//! - **Per address**: at most [`Limits::max_per_address`] of them from one address; one more is
//!   closed as soon as it is accepted, so that a client reopening a thousand connections holds
//!   its share and the other clients are still served.
//! - **Header timeout**: a new connection, or a kept-alive one that has begun its next request,
//!   that has not sent a whole request head within [`Limits::header_timeout`] is disconnected.
//!   (Not hyper's `header_read_timeout`, which also runs while a kept-alive connection waits
//!   between requests and would close it long before the idle timeout.)
//! - **Idle timeout**: a kept-alive connection that moved no byte for [`Limits::idle_timeout`]
//!   is closed once its request in flight, if any, is answered.
//! - **Body timeout**: the guard reads request bodies within [`Limits::body_timeout`] (`408`).
//! - **Stop**: when `stop` resolves, the server accepts no more connections, lets requests in
//!   flight finish (at most [`DRAIN_TIMEOUT`]), and returns.
//!
//! A slow client costs a task and a socket, never a thread.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long a stop waits for requests in flight.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

pub use crate::config::Limits;

/// Serves `router` on `listener` until `stop` resolves and the requests in flight are answered.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_address = Arc::new(Mutex::new(HashMap::<IpAddr, usize>::new()));
    let (stopping, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        // A permit first: at the cap, wait here rather than hold one more socket.
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut stop => break,
        };
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment instead of spinning.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        while connections.try_join_next().is_some() {}
        let Some(share) = AddressShare::take(&per_address, address.ip(), limits.max_per_address)
        else {
            tracing::debug!(%address, "closed a connection past the address's share");
            drop(stream);
            continue;
        };
        let router = router.clone();
        let stopped = stopped.clone();
        connections.spawn(async move {
            connection(stream, address, router, limits, stopped).await;
            drop(share);
            drop(permit);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "requests still in flight after {DRAIN_TIMEOUT:?}: closing them"
        );
        connections.abort_all();
    }
    Ok(())
}

/// One connection counted against its address's share, given back when dropped.
struct AddressShare {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    address: IpAddr,
}

impl AddressShare {
    fn take(
        counts: &Arc<Mutex<HashMap<IpAddr, usize>>>,
        address: IpAddr,
        most: usize,
    ) -> Option<AddressShare> {
        let mut map = counts.lock().unwrap_or_else(|p| p.into_inner());
        let count = map.entry(address).or_insert(0);
        if *count >= most.max(1) {
            return None;
        }
        *count += 1;
        Some(AddressShare {
            counts: Arc::clone(counts),
            address,
        })
    }
}

impl Drop for AddressShare {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = map.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                map.remove(&self.address);
            }
        }
    }
}

/// What the connection's loop watches: when a byte last moved, since when a request head has
/// been awaited (0: none; else milliseconds after the start, plus one), and how many requests
/// are being answered.
struct Progress {
    started: Instant,
    activity: AtomicU64,
    head_since: AtomicU64,
    in_flight: AtomicUsize,
}

impl Progress {
    fn now(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// A byte moved; a read between requests begins the next head.
    fn moved(&self, read: bool) {
        let now = self.now();
        self.activity.store(now, Ordering::Relaxed);
        if read && self.in_flight.load(Ordering::Relaxed) == 0 {
            let _ =
                self.head_since
                    .compare_exchange(0, now + 1, Ordering::Relaxed, Ordering::Relaxed);
        }
    }

    /// How long a request head has been awaited, if one is.
    fn head_waiting(&self) -> Option<Duration> {
        let since = self.head_since.load(Ordering::Relaxed);
        (since > 0 && self.in_flight.load(Ordering::Relaxed) == 0)
            .then(|| Duration::from_millis(self.now().saturating_sub(since - 1)))
    }
}

async fn connection(
    stream: TcpStream,
    address: SocketAddr,
    router: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let progress = Arc::new(Progress {
        started: Instant::now(),
        activity: AtomicU64::new(0),
        // A new connection owes its first head from the start.
        head_since: AtomicU64::new(1),
        in_flight: AtomicUsize::new(0),
    });
    let io = TokioIo::new(Watched {
        inner: stream,
        progress: Arc::clone(&progress),
    });
    let requests = Arc::clone(&progress);
    let answered = Arc::clone(&progress);
    let service = router
        .map_request(move |mut request: axum::http::Request<Incoming>| {
            requests.in_flight.fetch_add(1, Ordering::Relaxed);
            requests.head_since.store(0, Ordering::Relaxed);
            request.extensions_mut().insert(ConnectInfo(address));
            request.map(Body::new)
        })
        .map_response(move |response| {
            answered.in_flight.fetch_sub(1, Ordering::Relaxed);
            response
        });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(None)
        .keep_alive(true);
    let conn = builder.serve_connection(io, TowerToHyperService::new(service));
    tokio::pin!(conn);
    let mut closing = false;
    let tick = limits
        .idle_timeout
        .min(limits.header_timeout)
        .min(Duration::from_secs(1));
    let mut check = tokio::time::interval(tick);
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%address, "connection ended: {e}");
                }
                return;
            }
            changed = stopped.changed(), if !closing => {
                if changed.is_err() || *stopped.borrow() {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
            _ = check.tick() => {
                if progress.head_waiting().is_some_and(|w| w >= limits.header_timeout) {
                    // A head that never completes: nothing to answer, so no graceful end.
                    tracing::debug!(%address, "request head not sent in time: disconnected");
                    return;
                }
                let last = Duration::from_millis(progress.activity.load(Ordering::Relaxed));
                if !closing && progress.started.elapsed().saturating_sub(last) >= limits.idle_timeout {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// A socket that tells its connection's [`Progress`] when it moved a byte.
struct Watched {
    inner: TcpStream,
    progress: Arc<Progress>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.progress.moved(true);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.progress.moved(false);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.progress.moved(false);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
