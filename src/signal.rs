//! How background work is woken, stopped and kept out of the desk's way: a [`Signal`] per job
//! (nudged when there is work, stopped with the server), the server's one [`Stop`], which long
//! computations (a retrain, a backlog) look at between steps so that a stop never waits for
//! them, and the desk's [`Traffic`], which tells background work whether requests are being
//! served (then the jobs take turns on one core at the lowest priority, [`Traffic::turn`]) or
//! the desk is idle (then they may take both); a thread that answers a keystroke asks the
//! scheduler for short turns while it does ([`Hurry`]), and a settled search's encoder pass
//! runs at a lower weight than the requests ([`patiently`]). Defined here, below `app` and
//! every job, so that the app can hold them and the jobs and the core can read them.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Why a job woke up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Someone has work for it.
    Nudged,
    /// Its interval passed.
    Timeout,
    /// The server is stopping: finish up and return.
    Stop,
}

#[derive(Default)]
struct SignalState {
    nudged: bool,
    stopping: bool,
}

/// How a job is woken: nudged when there is work, stopped when the server stops. Cheap to clone.
#[derive(Clone, Default)]
pub struct Signal(Arc<(Mutex<SignalState>, Condvar)>);

impl Signal {
    /// Tells the job there is work.
    pub fn nudge(&self) {
        let (state, wake) = &*self.0;
        state.lock().unwrap_or_else(|p| p.into_inner()).nudged = true;
        wake.notify_all();
    }

    /// Tells the job to finish.
    pub fn stop(&self) {
        let (state, wake) = &*self.0;
        state.lock().unwrap_or_else(|p| p.into_inner()).stopping = true;
        wake.notify_all();
    }

    /// Whether the job was told to finish.
    pub fn stopping(&self) -> bool {
        self.0 .0.lock().unwrap_or_else(|p| p.into_inner()).stopping
    }

    /// Sleeps until nudged, stopped, or `timeout` passed. A nudge that came while the job was
    /// busy is not lost: the next wait returns at once.
    pub fn wait(&self, timeout: Duration) -> Wake {
        let (state, wake) = &*self.0;
        let guard = state.lock().unwrap_or_else(|p| p.into_inner());
        let (mut guard, _) = wake
            .wait_timeout_while(guard, timeout, |s| !s.nudged && !s.stopping)
            .unwrap_or_else(|p| p.into_inner());
        if guard.stopping {
            Wake::Stop
        } else if std::mem::take(&mut guard.nudged) {
            Wake::Nudged
        } else {
            Wake::Timeout
        }
    }
}

/// Set once, when the server stops: work that takes more than a moment asks
/// [`Stop::requested`] between its steps and gives up, leaving the rest to the next start.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// Asks every long computation to give up.
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked for.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A stop that is never asked for, for work that runs to its end (commands, tests).
    pub fn never() -> Stop {
        Stop::default()
    }
}

/// Requests being served, and when the last one ended: whether the desk is busy. Cheap to
/// clone; every request enters it ([`Traffic::enter`]) for as long as it is served.
#[derive(Debug, Clone)]
pub struct Traffic(Arc<TrafficState>);

#[derive(Debug)]
struct TrafficState {
    since: Instant,
    in_flight: AtomicUsize,
    /// Milliseconds from `since` to the end of the last request, plus one (0: none yet).
    last: AtomicU64,
    /// The guests' one lane while the desk is busy.
    lane: Mutex<Lane>,
    lane_moved: Condvar,
}

impl Default for Traffic {
    fn default() -> Traffic {
        Traffic(Arc::new(TrafficState {
            since: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last: AtomicU64::new(0),
            lane: Mutex::new(Lane::default()),
            lane_moved: Condvar::new(),
        }))
    }
}

/// Who holds the background jobs' lane and who waits for it, first come first served.
#[derive(Debug, Default)]
struct Lane {
    next: u64,
    waiting: VecDeque<u64>,
    held: bool,
}

/// How long without a request before background jobs stop taking turns ([`Traffic::turn`]).
pub const TURN_QUIET: Duration = Duration::from_millis(500);
/// How often a job waiting for its turn looks whether the desk fell idle meanwhile.
const TURN_LOOK: Duration = Duration::from_millis(50);

/// A background job's turn on the guests' one lane ([`Traffic::turn`]): the next guest waiting
/// takes it when this is dropped.
#[derive(Debug)]
pub struct Turn(Option<Arc<TrafficState>>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(state) = self.0.take() {
            state.lane.lock().unwrap_or_else(|p| p.into_inner()).held = false;
            state.lane_moved.notify_all();
        }
    }
}

/// A request being served: counted until dropped.
#[derive(Debug)]
pub struct Visit(Arc<TrafficState>);

impl Drop for Visit {
    fn drop(&mut self) {
        let at = self.0.since.elapsed().as_millis() as u64 + 1;
        self.0.last.fetch_max(at, Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Traffic {
    /// Counts a request until the returned [`Visit`] is dropped.
    pub fn enter(&self) -> Visit {
        self.0.in_flight.fetch_add(1, Ordering::Relaxed);
        Visit(Arc::clone(&self.0))
    }

    /// A step of background work, taken in turn with the other background jobs while the desk
    /// is busy (a request in flight or one ended within [`TURN_QUIET`]), one after another in
    /// the order they asked, so that at most one core runs background work: a request's thread
    /// waiting behind another request finds the other core without any (the scheduler moves a
    /// waiting thread at once to a core that falls idle, not to one that runs even the lowest
    /// priority's work), and fewer guests hold what requests may need too (the allocator's
    /// heaps, say) when the scheduler takes the core from them: the searches' time blocked fell
    /// with it (`BENCHMARKS.md`). While the desk is idle, every job goes at
    /// once; a job waiting for its turn when the desk falls idle goes at once too.
    pub fn turn(&self) -> Turn {
        if self.idle(TURN_QUIET) {
            return Turn(None);
        }
        let state = &self.0;
        let mut lane = state.lane.lock().unwrap_or_else(|p| p.into_inner());
        let me = lane.next;
        lane.next += 1;
        lane.waiting.push_back(me);
        loop {
            if !lane.held && lane.waiting.front() == Some(&me) {
                lane.waiting.pop_front();
                lane.held = true;
                return Turn(Some(Arc::clone(state)));
            }
            lane = state
                .lane_moved
                .wait_timeout(lane, TURN_LOOK)
                .unwrap_or_else(|p| p.into_inner())
                .0;
            if self.idle(TURN_QUIET) {
                lane.waiting.retain(|&w| w != me);
                drop(lane);
                // The next in line may be free to go now.
                state.lane_moved.notify_all();
                return Turn(None);
            }
        }
    }

    /// Whether no request is being served and none ended within `quiet`: background work may
    /// take every core.
    pub fn idle(&self, quiet: Duration) -> bool {
        if self.0.in_flight.load(Ordering::Relaxed) > 0 {
            return false;
        }
        let last = self.0.last.load(Ordering::Relaxed);
        let now = self.0.since.elapsed().as_millis() as u64 + 1;
        last == 0 || now.saturating_sub(last) >= quiet.as_millis() as u64
    }
}

/// Puts the calling thread (and the threads it starts later) at the lowest scheduling priority:
/// nice 19, and the idle class (`SCHED_IDLE`) besides, which runs only on a core no request
/// wants and gives it up the moment a request's thread wakes, where the server may take its
/// threads out of it again when it stops ([`raise_all`]). Without that privilege a thread in the
/// idle class on a machine busy with other work gets no core for seconds, and the process cannot
/// end before each of its threads has run once more: such a server keeps its guests at nice 19
/// in the normal class, which still yields to requests and gets the moment it needs to exit.
/// Neither needs a privilege; where the system has no per-thread priority it does nothing.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `gettid`, `sched_setscheduler` and `setpriority` take and return plain integers
    // and a pointer to a parameter that lives across the call; on Linux a policy or priority set
    // for a thread id applies to that thread only.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, tid, 19) != 0 {
            tracing::debug!("could not lower a background thread's priority");
        }
        if !may_leave_idle_class() {
            return;
        }
        let idle = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(tid as libc::pid_t, libc::SCHED_IDLE, &idle) != 0 {
            tracing::debug!("could not put a background thread in the idle class");
        }
    }
}

/// Whether a thread of this process at nice 19 in the idle class may be put back in the normal
/// class (what [`raise_all`] does at the stop): tried once, on a thread of its own.
#[cfg(target_os = "linux")]
fn may_leave_idle_class() -> bool {
    static MAY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MAY.get_or_init(|| {
        let probe = std::thread::Builder::new().name("priority probe".into());
        let Ok(probe) = probe.spawn(|| {
            // SAFETY: as in `lower_priority`, on this probe's own thread, which ends here.
            unsafe {
                let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
                let idle = libc::sched_param { sched_priority: 0 };
                let normal = libc::sched_param { sched_priority: 0 };
                libc::setpriority(libc::PRIO_PROCESS, tid, 19) == 0
                    && libc::sched_setscheduler(tid as libc::pid_t, libc::SCHED_IDLE, &idle) == 0
                    && libc::sched_setscheduler(tid as libc::pid_t, libc::SCHED_OTHER, &normal) == 0
            }
        }) else {
            return false;
        };
        probe.join().unwrap_or(false)
    })
}

/// Puts every thread of this process back in the normal class at nice 0 (the guests, and the
/// threads they started to share the cores), so that each gets a core to see the stop and exit
/// when the server stops (a thread's exit runs on the thread itself: the process is not gone
/// until each has had a core). Allowed to a privileged server (root, `CAP_SYS_NICE`, or a
/// `RLIMIT_NICE` that permits it), the only one whose guests are in the idle class; elsewhere it
/// does nothing.
pub fn raise_all() {
    #[cfg(target_os = "linux")]
    {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return;
        };
        for task in tasks.flatten() {
            let Some(tid) = task
                .file_name()
                .to_str()
                .and_then(|t| t.parse::<i64>().ok())
            else {
                continue;
            };
            // SAFETY: as in `lower_priority`; a thread that has exited meanwhile makes both
            // calls fail harmlessly.
            unsafe {
                let normal = libc::sched_param { sched_priority: 0 };
                if libc::sched_setscheduler(tid as libc::pid_t, libc::SCHED_OTHER, &normal) == 0 {
                    libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 0);
                }
            }
        }
    }
}

/// Linux's `struct sched_attr` (`sched_setattr(2)`), which the `libc` crate does not carry.
#[cfg(target_os = "linux")]
#[repr(C)]
#[derive(Default, Clone, Copy)]
struct SchedAttr {
    size: u32,
    policy: u32,
    flags: u64,
    nice: i32,
    priority: u32,
    runtime: u64,
    deadline: u64,
    period: u64,
    util_min: u32,
    util_max: u32,
}

/// The turn a thread in a hurry asks the scheduler for: its shortest.
#[cfg(target_os = "linux")]
const SHORT_SLICE_NS: u64 = 100_000;

/// A thread that answers someone waiting at a keyboard, for as long as this is held: it asks
/// the scheduler for short turns (a fair thread's own slice, Linux 6.12 and later), which put it
/// ahead of threads with longer turns when it wakes and between their turns, with the same
/// share of the cores as before. Nothing is asked where the thread is not in the normal class
/// or the system has no such request; dropped, the thread's turns are the default again.
pub struct Hurry {
    /// The thread's attributes as they were, with the default slice: what the drop puts back.
    #[cfg(target_os = "linux")]
    before: Option<SchedAttr>,
}

impl Hurry {
    /// Asks short turns for the calling thread.
    pub fn now() -> Hurry {
        #[cfg(target_os = "linux")]
        {
            let before = normal_attributes().filter(|attr| {
                let short = SchedAttr {
                    runtime: SHORT_SLICE_NS,
                    ..*attr
                };
                set_attributes(&short)
            });
            Hurry { before }
        }
        #[cfg(not(target_os = "linux"))]
        Hurry {}
    }
}

impl Drop for Hurry {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(before) = &self.before {
            set_attributes(before);
        }
    }
}

/// How much nicer than the request a settled search's encoder pass runs ([`patiently`]): five
/// steps, a third of the request thread's weight.
pub const PATIENT_NICE: i32 = 5;

/// Runs `work` on a thread of its own, [`PATIENT_NICE`] steps nicer than the caller (19 at
/// most), and waits for it: a settled search's encoder pass, some milliseconds of a core that
/// a keystroke's search waking meanwhile should get first. Raising one's own nice needs no
/// privilege, and the thread ends with the work, so the request thread's own priority is never
/// touched. Where no thread can be started the work runs on the calling thread.
pub fn patiently<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let mut work = Some(work);
    let result = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("settled".into())
            .spawn_scoped(scope, || {
                #[cfg(target_os = "linux")]
                // SAFETY: `getpriority` and `setpriority` on the calling thread's own id (which
                // started at the caller's nice); no memory is passed.
                unsafe {
                    let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
                    let own = libc::getpriority(libc::PRIO_PROCESS, tid);
                    libc::setpriority(libc::PRIO_PROCESS, tid, (own + PATIENT_NICE).min(19));
                }
                (work.take().expect("taken once"))()
            });
        spawned.ok().map(|thread| thread.join())
    });
    match result {
        Some(Ok(value)) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => (work.take().expect("the thread did not start"))(),
    }
}

/// The calling thread's scheduling attributes as they are.
#[cfg(target_os = "linux")]
fn attributes() -> Option<SchedAttr> {
    let size = std::mem::size_of::<SchedAttr>() as u32;
    let mut attr = SchedAttr::default();
    // SAFETY: `sched_getattr` on the calling thread (pid 0), with a `sched_attr` of the size
    // given, which lives across the call.
    let got = unsafe {
        libc::syscall(
            libc::SYS_sched_getattr,
            0,
            &mut attr as *mut SchedAttr,
            size,
            0,
        )
    };
    (got == 0).then_some(SchedAttr { size, ..attr })
}

/// The calling thread's scheduling attributes, with the slice left to the system (`runtime`
/// 0), when it is in the normal class.
#[cfg(target_os = "linux")]
fn normal_attributes() -> Option<SchedAttr> {
    attributes()
        .filter(|attr| attr.policy == libc::SCHED_OTHER as u32)
        .map(|attr| SchedAttr {
            flags: 0,
            runtime: 0,
            ..attr
        })
}

/// Sets the calling thread's scheduling attributes; whether they were set.
#[cfg(target_os = "linux")]
fn set_attributes(attr: &SchedAttr) -> bool {
    // SAFETY: `sched_setattr` on the calling thread (pid 0) with a `sched_attr` that lives
    // across the call.
    unsafe { libc::syscall(libc::SYS_sched_setattr, 0, attr as *const SchedAttr, 0) == 0 }
}

/// Gives memory freed by a large piece of background work (a retrain, a backlog's batch) back
/// to the system, so that the server's resident size falls back after it; a no-op where the
/// allocator has no such call.
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free pages of the glibc heap to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Bounds the allocator's per-thread heaps (glibc makes up to eight per core, each kept at its
/// largest) to two: background threads that allocate much and then sleep would otherwise keep
/// hundreds of megabytes resident. Called once, first thing in `main`.
pub fn bound_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` with `M_ARENA_MAX` only changes how many heaps later allocations use.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_nudge_wakes_a_waiting_job_and_is_not_lost_while_it_works() {
        let signal = Signal::default();
        signal.nudge();
        assert_eq!(signal.wait(Duration::from_secs(5)), Wake::Nudged);
        assert_eq!(signal.wait(Duration::from_millis(10)), Wake::Timeout);
        let other = signal.clone();
        let started = Instant::now();
        let waiter = std::thread::spawn(move || other.wait(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        signal.nudge();
        assert_eq!(waiter.join().unwrap(), Wake::Nudged);
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn background_jobs_take_turns_while_the_desk_is_busy_and_go_at_once_while_it_is_idle() {
        let traffic = Traffic::default();
        // Idle: two jobs hold a turn at once.
        let (a, b) = (traffic.turn(), traffic.turn());
        assert!(a.0.is_none() && b.0.is_none());
        drop((a, b));
        // Busy: the second waits for the first, and the third for the second.
        let visit = traffic.enter();
        let first = traffic.turn();
        let order = Arc::new(Mutex::new(Vec::new()));
        let waiting: Vec<_> = (1..=2)
            .map(|n| {
                let (mine, order) = (traffic.clone(), Arc::clone(&order));
                let waiter = std::thread::spawn(move || {
                    let turn = mine.turn();
                    order.lock().unwrap().push(n);
                    std::thread::sleep(Duration::from_millis(20));
                    drop(turn);
                });
                // The first waiter is in line before the second asks.
                while traffic.0.lane.lock().unwrap().waiting.len() < n as usize {
                    std::thread::yield_now();
                }
                waiter
            })
            .collect();
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            order.lock().unwrap().is_empty(),
            "a turn taken while another is held"
        );
        drop(first);
        for waiter in waiting {
            waiter.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![1, 2]);
        // A job waiting in line when the desk falls idle goes at once, the lane still held.
        let held = traffic.turn();
        assert!(held.0.is_some());
        let mine = traffic.clone();
        let waiter = std::thread::spawn(move || mine.turn().0.is_none());
        while traffic.0.lane.lock().unwrap().waiting.is_empty() {
            std::thread::yield_now();
        }
        drop(visit);
        assert!(waiter.join().unwrap(), "the desk idle, no turn to wait for");
        assert!(traffic.0.lane.lock().unwrap().waiting.is_empty());
        drop(held);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_thread_in_a_hurry_has_short_turns_until_the_hurry_is_dropped() {
        let slice = || attributes().expect("the thread's attributes").runtime;
        // Linux takes a fair thread's own slice from 6.12 on.
        // SAFETY: `uname` fills the struct it is given.
        let release = unsafe {
            let mut name: libc::utsname = std::mem::zeroed();
            assert_eq!(libc::uname(&mut name), 0);
            std::ffi::CStr::from_ptr(name.release.as_ptr())
                .to_string_lossy()
                .into_owned()
        };
        let mut numbers = release
            .split(|c: char| !c.is_ascii_digit())
            .map(|n| n.parse::<u32>().unwrap_or(0));
        let version = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
        std::thread::spawn(move || {
            let before = slice();
            let hurry = Hurry::now();
            if version < (6, 12) {
                eprintln!("Linux {release}: no slice of a fair thread's own to ask for");
                return;
            }
            assert!(hurry.before.is_some());
            assert_eq!(slice(), SHORT_SLICE_NS);
            drop(hurry);
            assert_eq!(slice(), before);
        })
        .join()
        .unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn patient_work_runs_at_a_lower_weight_on_its_own_thread_and_the_caller_keeps_its_own() {
        // SAFETY: `getpriority` on the calling thread's own id; no memory is passed.
        let nice = || unsafe {
            libc::getpriority(
                libc::PRIO_PROCESS,
                libc::syscall(libc::SYS_gettid) as libc::id_t,
            )
        };
        let caller = std::thread::current().id();
        let own = nice();
        let (thread, inside) = patiently(|| (std::thread::current().id(), nice()));
        assert_ne!(thread, caller);
        assert_eq!(inside, (own + PATIENT_NICE).min(19));
        assert_eq!(nice(), own, "the caller's priority is untouched");
        let panicked = std::panic::catch_unwind(|| patiently(|| panic!("in the work")));
        assert!(panicked.is_err(), "a panic in the work reaches the caller");
    }

    #[test]
    fn a_stop_is_seen_by_every_clone() {
        let stop = Stop::default();
        let other = stop.clone();
        assert!(!other.requested());
        stop.request();
        assert!(other.requested());
    }

    #[test]
    fn traffic_is_busy_while_a_request_is_served_and_idle_after_a_quiet_moment() {
        let traffic = Traffic::default();
        assert!(traffic.idle(Duration::from_secs(60)), "no request yet");
        let visit = traffic.enter();
        assert!(!traffic.idle(Duration::ZERO));
        drop(visit);
        assert!(!traffic.idle(Duration::from_secs(60)), "one just ended");
        std::thread::sleep(Duration::from_millis(5));
        assert!(traffic.idle(Duration::from_millis(1)));
    }

    #[test]
    fn stop_wins_over_a_nudge_and_lasts() {
        let signal = Signal::default();
        signal.nudge();
        signal.stop();
        assert_eq!(signal.wait(Duration::from_secs(5)), Wake::Stop);
        assert_eq!(signal.wait(Duration::from_secs(5)), Wake::Stop);
        assert!(signal.stopping());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lowered_thread_and_the_threads_it_starts_run_at_nice_19_in_the_idle_class_if_it_may_leave_it(
    ) {
        // SAFETY: the calls read the calling thread's own policy and priority.
        let policy_and_nice = || unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            (
                libc::sched_getscheduler(0),
                libc::getpriority(libc::PRIO_PROCESS, tid),
            )
        };
        let (own, started) = std::thread::spawn(move || {
            lower_priority();
            let own = policy_and_nice();
            (own, std::thread::spawn(policy_and_nice).join().unwrap())
        })
        .join()
        .unwrap();
        // The idle class where the stop may take a thread out of it again (as root, or with
        // `CAP_SYS_NICE`); else the normal class at nice 19.
        let class = if may_leave_idle_class() {
            libc::SCHED_IDLE
        } else {
            libc::SCHED_OTHER
        };
        assert_eq!(own, (class, 19));
        assert_eq!(started, (class, 19));
        assert_ne!(
            policy_and_nice().0,
            libc::SCHED_IDLE,
            "the test's own thread is untouched"
        );
    }
}
