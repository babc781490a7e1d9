//! What the tests of every store file share, and the tests of the store as a whole: opening,
//! sharing between threads, schema versions and the previous release's database.

use super::Store;
use chrono::{DateTime, Utc};

/// A time from text, as the API reads it.
pub fn at(text: &str) -> DateTime<Utc> {
    crate::calls::parse_time(text).unwrap()
}

/// A store in a fresh temporary folder.
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

#[cfg(test)]
mod tests {
    use super::super::*;

    #[test]
    fn the_store_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Store>();
    }

    #[test]
    fn a_write_waits_while_another_process_writes_and_gets_in_when_it_lets_go() {
        let (dir, store) = super::store();
        let mut other = Connection::open(dir.path().join("callfaq.sqlite3")).unwrap();
        let (held, go) = std::sync::mpsc::channel();
        let writer = std::thread::spawn(move || {
            let tx = write(&mut other).unwrap();
            tx.execute("CREATE TABLE elsewhere (x INTEGER)", [])
                .unwrap();
            held.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            tx.commit().unwrap();
        });
        go.recv().unwrap();
        let mut conn = store.lock();
        let tx = write(&mut conn).expect("waits its turn instead of failing busy");
        let theirs: i64 = tx
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'elsewhere'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(theirs, 1, "it got in only once the other let go");
        tx.commit().unwrap();
        writer.join().unwrap();
    }

    #[test]
    fn the_wait_for_the_database_gives_up_after_its_patience_and_starts_again_for_each_write() {
        let patience = Duration::from_millis(30);
        assert!(wait_busy(0, patience));
        assert!(wait_busy(1, patience));
        std::thread::sleep(patience);
        assert!(!wait_busy(2, patience));
        assert!(wait_busy(0, patience), "a new write waits afresh");
    }

    #[test]
    fn opening_twice_is_fine_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).unwrap();
        let second = Store::open(dir.path()).unwrap();
        assert_eq!(
            user_version(&second.lock()).unwrap(),
            MIGRATIONS.len() as i64
        );
        let mode: String = first
            .lock()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop((first, second));

        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        drop(conn);
        let error = format!("{:#}", Store::open(dir.path()).unwrap_err());
        assert!(error.contains("newer callfaq"), "{error}");
    }

    /// Before `talked_at_desk`, a callback closed at the desk («поговорили сейчас») was written
    /// as reached, noted `call N`; the schema step makes it the caller's own call again, and its
    /// first attempt the managers' own tries only.
    #[test]
    fn a_desk_close_written_before_reads_as_the_callers_own_call() {
        use crate::callbacks::{Attempt, Outcome, State};
        let (_dir, store) = super::store();
        let call = store
            .create_call(
                &crate::calls::CallChanges::default(),
                super::at("2026-11-28T10:00:00Z"),
            )
            .unwrap()
            .call
            .id;
        let promised = |key: &str| {
            let promise = crate::store::Promise {
                call_id: call,
                caller_key: key,
                name: None,
                phone: None,
                email: None,
                company: None,
                owner: Some("mikhail"),
                due: super::at("2026-11-28T15:00:00Z"),
                missed: false,
            };
            match store
                .promise_callback(
                    &promise,
                    super::at("2026-11-28T10:00:00Z"),
                    Default::default(),
                )
                .unwrap()
            {
                crate::store::Promised::Opened(id) => id,
                _ => panic!("a new callback"),
            }
        };
        let done = crate::store::CallbackChange {
            state: Some(State::Done),
            ..crate::store::CallbackChange::default()
        };
        let reached = |note: &str| Attempt {
            at: super::at("2026-11-28T11:00:00Z"),
            by: "anna".into(),
            result: Outcome::Reached,
            note: Some(note.into()),
            reason: None,
            from: None,
            next_due: None,
        };
        let (desk, manager) = (promised("call:a"), promised("call:b"));
        store
            .record_attempt(desk, &reached("call 12"), &done)
            .unwrap();
        store
            .record_attempt(manager, &reached("call 12 tomorrow, he asked"), &done)
            .unwrap();
        store
            .lock()
            .execute_batch(include_str!("migrations/022_talked_at_desk.sql"))
            .unwrap();
        let desk = store.callback(desk).unwrap().unwrap();
        assert_eq!(desk.attempts[0].result, Outcome::TalkedAtDesk);
        assert_eq!(desk.first_attempt, None);
        assert!(desk.caller_called_first() && desk.in_time().is_none());
        let manager = store.callback(manager).unwrap().unwrap();
        assert_eq!(manager.attempts[0].result, Outcome::Reached);
        assert_eq!(manager.in_time(), Some(true));
        assert!(!manager.caller_called_first());
    }

    /// The grouping's matches made before a match needed its links' words are made again: the
    /// schema step sends each unlinked matched question back to be placed, and its hour to be
    /// counted again; a linked one keeps what it was.
    #[test]
    fn machine_matches_made_before_are_placed_again() {
        let (_dir, store) = super::store();
        let asked = super::at("2026-11-28T10:15:00Z");
        let call = store
            .create_call(&crate::calls::CallChanges::default(), asked)
            .unwrap()
            .call
            .id;
        let matched = store
            .add_question(call, "где припарковаться у вас", None, asked, false)
            .unwrap()
            .unwrap()
            .id;
        let linked = store
            .add_question(
                call,
                "есть ли у вас вакансии",
                Some("vacancies"),
                asked,
                false,
            )
            .unwrap()
            .unwrap()
            .id;
        let conn = store.lock();
        conn.execute(
            "UPDATE questions SET matched = 'vacancies', assigned = 1 WHERE id IN (?1, ?2)",
            [matched, linked],
        )
        .unwrap();
        conn.execute("DELETE FROM report_stale", []).unwrap();
        conn.execute_batch(include_str!("migrations/023_matches_again.sql"))
            .unwrap();
        let state = |id: i64| -> (Option<String>, i64) {
            conn.query_row(
                "SELECT matched, assigned FROM questions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert_eq!(state(matched), (None, 0));
        assert_eq!(state(linked), (Some("vacancies".into()), 1));
        let stale: Vec<String> = conn
            .prepare("SELECT hour FROM report_stale")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(stale, ["2026-11-28T10"]);
    }

    #[test]
    fn a_missing_data_folder_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a/b")).unwrap();
        assert!(store.path().ends_with("a/b/callfaq.sqlite3") && store.path().exists());
    }

    /// `tests/fixtures/db/schema-3.sqlite3` was written by the release before the migrations
    /// became files (commit 50e0ea1): `callfaq import` of three calls with five questions and
    /// `callfaq user add natalia`.
    #[test]
    fn a_database_written_by_the_previous_release_opens_and_keeps_its_calls() {
        let dir = tempfile::tempdir().unwrap();
        let fixture =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/schema-3.sqlite3");
        std::fs::copy(&fixture, dir.path().join(FILE_NAME)).unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(user_version(&store.lock()).unwrap(), schema_version());
        let first = store.call(1).unwrap().expect("call 1 kept");
        assert_eq!(first.call.name.as_deref(), Some("Михаил"));
        assert_eq!(first.questions.len(), 2);
        assert_eq!(first.questions[0].answer.as_deref(), Some("printer"));
        let third = store.call(3).unwrap().expect("call 3 kept");
        assert_eq!(
            third.previous_calls,
            vec![1],
            "recognised by phone as before"
        );
        assert!(store.account_by_login("natalia").unwrap().is_some());
        drop(store);
        // Opening again changes nothing.
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.call(2).unwrap().unwrap().questions.len(), 2);
    }
}
