//! `callfaq serve` as a child process on a loopback port, a machine token for it, an HTTP
//! client, and sizes on disk: what the benchmarks that go over HTTP share.
#![allow(dead_code)] // each benchmark uses a part

use super::status_field;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Total size of the files under `path`.
pub fn disk_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| disk_size(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// `write` of 4 KiB and `fdatasync`, as a commit in WAL mode with `synchronous=FULL` does once.
pub fn fsync_probe(dir: &Path, n: usize) -> Vec<Duration> {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let block = [7u8; 4096];
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        file.seek(SeekFrom::Start(((i % 64) * 4096) as u64))
            .unwrap();
        file.write_all(&block).unwrap();
        file.sync_data().unwrap();
        out.push(t.elapsed());
    }
    drop(file);
    let _ = std::fs::remove_file(path);
    out
}

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build(),
    )
}

/// The `callfaq` binary the benchmarks run: this build's, or `BENCH_BINARY` (to measure
/// another build, such as the one before a change, with the same benchmark).
pub fn binary() -> PathBuf {
    std::env::var_os("BENCH_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_callfaq")))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A machine token with the operator role, made with `callfaq token create` on the data folder
/// (the API needs `Authorization: Bearer`); returns the secret.
pub fn operator_token(data: &Path) -> String {
    let out = Command::new(binary())
        .args(["token", "create", "--name"])
        .arg(format!("bench-{}", std::process::id()))
        .args(["--role", "operator", "--data"])
        .arg(data)
        .output()
        .expect("running callfaq token create");
    assert!(
        out.status.success(),
        "callfaq token create failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .expect("the token on the last line")
        .trim()
        .to_string()
}

/// `callfaq serve` started by this benchmark; killed (by its own pid) when dropped.
pub struct Server {
    child: Child,
    /// Base URL.
    pub base: String,
    /// `Bearer …` of an operator token.
    pub auth: String,
    log: PathBuf,
    /// From spawn to the first `200` of `GET /healthz`.
    pub ready_after: Duration,
}

impl Server {
    /// Starts the release binary on the folders; waits for `/healthz`.
    pub fn start(data: &Path, knowledge: &Path, log: &Path, token: &str) -> Server {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let log_file = std::fs::File::create(log).expect("server log file");
        let started = Instant::now();
        let mut child = Command::new(binary())
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(data)
            .arg("--knowledge")
            .arg(knowledge)
            .arg("--model")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(callfaq::encoder::DEFAULT_PATH))
            .arg("--word-vectors")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(callfaq::encoder::words::DEFAULT_PATH))
            .env("RUST_LOG", "callfaq=info,warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("starting callfaq serve");
        let probe = agent(Duration::from_secs(2));
        let healthz = format!("{base}/healthz");
        let ready_after = loop {
            if let Ok(r) = probe.get(&healthz).call() {
                if r.status() == 200 {
                    break started.elapsed();
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "the server exited ({status}) before answering:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "the server did not answer /healthz within 5 minutes"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        Server {
            child,
            base,
            auth: format!("Bearer {token}"),
            log: log.to_path_buf(),
            ready_after,
        }
    }

    /// The process id.
    pub fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// Memory of the process, from /proc.
    pub fn memory(&self) -> String {
        format!(
            "VmRSS {} (anon {}, file {}), VmHWM {}, threads {}",
            status_field(&self.pid(), "VmRSS:"),
            status_field(&self.pid(), "RssAnon:"),
            status_field(&self.pid(), "RssFile:"),
            status_field(&self.pid(), "VmHWM:"),
            status_field(&self.pid(), "Threads:")
        )
    }

    /// Sends SIGTERM and waits for the process to exit (a minute at most); how long it took
    /// and its exit code (`None`: killed by a signal, or still running after the minute).
    pub fn terminate(&mut self) -> (Duration, Option<i32>) {
        let started = Instant::now();
        let _ = Command::new("kill").args(["-TERM", &self.pid()]).status();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return (started.elapsed(), status.code());
            }
            if started.elapsed() > Duration::from_secs(60) {
                return (started.elapsed(), None);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// What it logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
