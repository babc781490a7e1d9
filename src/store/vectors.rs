//! Sentence vectors of texts (`sentence_vectors`), and which caller questions still need one:
//! each distinct text is encoded once and kept, as 384 signed bytes and a scale.

use super::{write, Store};
use crate::encoder::{normalise, Vector, DIMENSIONS};
use anyhow::{Context, Result};
use rusqlite::params;
use std::collections::HashMap;

/// A vector as stored: an f32 scale, then one signed byte per number.
pub fn pack(v: &[f32]) -> Vec<u8> {
    let most = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let scale = if most > 0.0 { most / 127.0 } else { 1.0 };
    let mut out = Vec::with_capacity(4 + v.len());
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend(
        v.iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8),
    );
    out
}

/// A stored vector back, unit length; `None` if the bytes are not one.
pub fn unpack(bytes: &[u8]) -> Option<Vector> {
    if bytes.len() != 4 + DIMENSIONS {
        return None;
    }
    let scale = f32::from_le_bytes(bytes[..4].try_into().ok()?);
    let mut v: Vector = bytes[4..]
        .iter()
        .map(|&b| f32::from(b as i8) * scale)
        .collect();
    normalise(&mut v);
    Some(v)
}

/// A linked caller question with its sentence vector.
#[derive(Debug, Clone)]
pub struct LinkedVector {
    /// The question.
    pub question: i64,
    /// Its words.
    pub text: String,
    /// Its answer.
    pub answer: String,
    /// What it means.
    pub vector: Vector,
}

impl Store {
    /// Caller questions whose text has no vector yet, newest first: (id, text, linked).
    pub fn unembedded(&self, limit: usize) -> Result<Vec<(i64, String, bool)>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT id, text, answer IS NOT NULL FROM questions WHERE embedded = 0 ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = select
            .query_map([super::sql_limit(limit)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading questions to encode")?;
        Ok(rows)
    }

    /// Among the newest `window` linked questions (those the meaning model trains on), the ones
    /// whose text has no vector yet, newest first: (id, text).
    pub fn unembedded_linked(&self, window: usize) -> Result<Vec<(i64, String)>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT id, text FROM (SELECT id, text, embedded FROM questions WHERE answer IS NOT NULL \
             ORDER BY id DESC LIMIT ?1) WHERE embedded = 0 ORDER BY id DESC",
        )?;
        let rows = select
            .query_map([super::sql_limit(window)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading linked questions to encode")?;
        Ok(rows)
    }

    /// How many caller questions wait for a vector.
    pub fn unembedded_count(&self) -> Result<usize> {
        let n: i64 = self.read().query_row(
            "SELECT COUNT(*) FROM questions WHERE embedded = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// The stored vectors of these texts (those that have one).
    pub fn vectors(&self, texts: &[String]) -> Result<HashMap<String, Vector>> {
        let conn = self.read();
        let mut select =
            conn.prepare_cached("SELECT vector FROM sentence_vectors WHERE text = ?1")?;
        let mut out = HashMap::new();
        for t in texts {
            let found: Option<Vec<u8>> =
                select
                    .query_row([t], |r| r.get(0))
                    .map(Some)
                    .or_else(|e| match e {
                        rusqlite::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
            if let Some(v) = found.as_deref().and_then(unpack) {
                out.insert(t.clone(), v);
            }
        }
        Ok(out)
    }

    /// Keeps vectors of texts, and marks these questions as having theirs.
    pub fn save_vectors(&self, vectors: &[(String, Vector)], questions: &[i64]) -> Result<()> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO sentence_vectors (text, vector) VALUES (?1, ?2)",
            )?;
            for (text, v) in vectors {
                insert.execute(params![text, pack(v)])?;
            }
            let mut mark = tx.prepare_cached("UPDATE questions SET embedded = 1 WHERE id = ?1")?;
            for id in questions {
                mark.execute([id])?;
            }
        }
        tx.commit().context("saving sentence vectors")
    }

    /// The newest linked caller questions that have a vector, at most `limit`: (answer, vector).
    pub fn linked_vectors(&self, limit: usize) -> Result<Vec<(String, Vector)>> {
        Ok(self
            .linked_with_vectors(limit)?
            .into_iter()
            .map(|l| (l.answer, l.vector))
            .collect())
    }

    /// The same, with each question's id and words.
    pub fn linked_with_vectors(&self, limit: usize) -> Result<Vec<LinkedVector>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT q.id, q.text, q.answer, v.vector FROM questions q JOIN sentence_vectors v ON v.text = q.text
             WHERE q.answer IS NOT NULL AND q.embedded = 1 ORDER BY q.id DESC LIMIT ?1",
        )?;
        let rows = select
            .query_map([super::sql_limit(limit)], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading linked questions' vectors")?;
        Ok(rows
            .into_iter()
            .filter_map(|(question, text, answer, b)| {
                Some(LinkedVector {
                    question,
                    text,
                    answer,
                    vector: unpack(&b)?,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_vector_comes_back_close() {
        let mut v: Vector = (0..DIMENSIONS).map(|i| ((i as f32) * 0.37).sin()).collect();
        normalise(&mut v);
        let back = unpack(&pack(&v)).unwrap();
        let cos: f32 = v.iter().zip(&back).map(|(a, b)| a * b).sum();
        assert!(cos > 0.9999, "{cos}");
        assert_eq!(pack(&v).len(), 388);
    }
}
