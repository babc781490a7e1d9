//! New passwords and tokens on their way from the request that made them to the one page that
//! shows them (post/redirect/get: reloading that page re-posts nothing, so no second reset and
//! no "login taken"). Each waits under a random key for [`KEPT`], is shown once, and only to
//! the admin who made it; in memory only, never written anywhere, gone with a restart.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a new password or token waits for its page.
pub const KEPT: Duration = Duration::from_secs(600);

/// A secret and the words its page shows it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// What was made ("Account added").
    pub title: String,
    /// For whom ("Password for anna").
    pub what: String,
    /// The password or token itself.
    pub secret: String,
    /// What to do with it.
    pub hint: String,
}

/// Secrets waiting to be shown, by key.
#[derive(Default)]
pub struct ShownOnce {
    waiting: Mutex<HashMap<String, (String, Instant, Secret)>>,
}

impl ShownOnce {
    /// Keeps `secret` for `admin`; gives the key its page is reached by.
    pub fn keep(&self, admin: &str, secret: Secret) -> String {
        let key = super::random_secret(16);
        let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
        waiting.retain(|_, (_, at, _)| at.elapsed() < KEPT);
        waiting.insert(key.clone(), (admin.to_string(), Instant::now(), secret));
        key
    }

    /// The secret kept under `key`, taken out as it is shown: `None` when it was shown
    /// already, is older than [`KEPT`], or was made by another admin (it stays theirs).
    pub fn take(&self, admin: &str, key: &str) -> Option<Secret> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
        match waiting.get(key) {
            Some((made_by, at, _)) if at.elapsed() < KEPT && made_by == admin => {
                waiting.remove(key).map(|(_, _, secret)| secret)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret {
            title: "Account added".into(),
            what: "Password for anna".into(),
            secret: "s3cret".into(),
            hint: "Change it".into(),
        }
    }

    #[test]
    fn a_secret_is_shown_once_and_only_to_the_admin_who_made_it() {
        let once = ShownOnce::default();
        let key = once.keep("root", secret());
        assert_eq!(once.take("olga", &key), None, "another admin sees nothing");
        assert_eq!(once.take("root", &key), Some(secret()));
        assert_eq!(once.take("root", &key), None, "shown once");
        assert_eq!(once.take("root", "no-such-key"), None);
        assert_ne!(once.keep("root", secret()), once.keep("root", secret()));
    }
}
