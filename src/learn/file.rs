//! The learned ranking's file in the data folder (`model/links.bin`): a magic number, then the
//! links trained on and the texts its IDF was counted over, the answers, the features with
//! their IDF and postings, and each question's coefficients, all little-endian; written
//! atomically, read back the same.

use super::model::Model;
use crate::text::features::FeatureId;
use std::io::{self, Read, Write};
use std::path::Path;

impl Model {
    /// Writes the model to `path` through a temporary file.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        crate::numeric::write_atomically(path, |mut out| {
            out.write_all(MAGIC)?;
            put_u64(&mut out, self.version)?;
            put_u64(&mut out, self.trained_links as u64)?;
            put_u64(&mut out, self.documents as u64)?;
            put_f32(&mut out, self.temperature)?;
            put_u64(&mut out, self.answers.len() as u64)?;
            for a in &self.answers {
                put_u64(&mut out, a.len() as u64)?;
                out.write_all(a.as_bytes())?;
            }
            let mut features: Vec<(FeatureId, u32)> =
                self.vocab.iter().map(|(&f, &i)| (f, i)).collect();
            features.sort_by_key(|&(_, i)| i);
            put_u64(&mut out, features.len() as u64)?;
            for (f, i) in features {
                put_u64(&mut out, f)?;
                put_f32(&mut out, self.idf[i as usize])?;
                let row = &self.postings[i as usize];
                put_u64(&mut out, row.len() as u64)?;
                for &(a, w) in row {
                    put_u32(&mut out, a)?;
                    put_f32(&mut out, w)?;
                }
            }
            put_u64(&mut out, self.beta.len() as u64)?;
            for (&q, b) in &self.beta {
                put_u64(&mut out, q as u64)?;
                put_u64(&mut out, b.len() as u64)?;
                for &(a, w) in b {
                    put_u32(&mut out, a)?;
                    put_f32(&mut out, w)?;
                }
            }
            Ok(())
        })
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(path: &Path) -> io::Result<Model> {
        let mut input = io::BufReader::new(std::fs::File::open(path)?);
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a callfaq model of this version",
            ));
        }
        let mut m = Model::empty();
        m.version = get_u64(&mut input)?;
        m.trained_links = get_u64(&mut input)? as usize;
        m.documents = get_u64(&mut input)? as usize;
        m.temperature = get_f32(&mut input)?;
        let answers = get_u64(&mut input)?;
        for i in 0..answers {
            let len = get_u64(&mut input)? as usize;
            let mut bytes = vec![0u8; len.min(1 << 20)];
            input.read_exact(&mut bytes)?;
            let slug = String::from_utf8(bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            m.by_slug.insert(slug.clone(), i as u32);
            m.answers.push(slug);
        }
        let features = get_u64(&mut input)?;
        for i in 0..features {
            let f = get_u64(&mut input)?;
            m.vocab.insert(f, i as u32);
            m.idf.push(get_f32(&mut input)?);
            let n = get_u64(&mut input)? as usize;
            let mut row = Vec::with_capacity(n.min(1 << 16));
            for _ in 0..n {
                row.push((get_u32(&mut input)?, get_f32(&mut input)?));
            }
            m.postings.push(row);
        }
        let betas = get_u64(&mut input)?;
        for _ in 0..betas {
            let q = get_u64(&mut input)? as i64;
            let n = get_u64(&mut input)? as usize;
            let mut b = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                b.push((get_u32(&mut input)?, get_f32(&mut input)?));
            }
            m.beta.insert(q, b);
        }
        Ok(m)
    }
}

/// Version 4: the texts the IDF was counted over follow the links trained on, and the
/// temperature was fitted on held-out phrasings. A file of an earlier version is not read: the
/// model is trained again (version 1 counted the IDF over the links only, version 2 kept each
/// answer's count of links, version 3 fitted the temperature on held-out links, which a
/// phrasing linked again and again could make as sure as 0.05).
const MAGIC: &[u8; 8] = b"CFQM0004";

fn put_u64(out: &mut impl Write, v: u64) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}
fn put_u32(out: &mut impl Write, v: u32) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}
fn put_f32(out: &mut impl Write, v: f32) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}
fn get_u64(input: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    input.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}
fn get_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}
fn get_f32(input: &mut impl Read) -> io::Result<f32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(f32::from_le_bytes(b))
}
