//! The encoder's matrix products in f32: the 4-bit weights expanded once at load (85 MB for
//! the model's layers) and multiplied by `matrixmultiply`. This is the reference the 8-bit
//! products (`int8`) are measured against, and the path on processors without AVX-512 VNNI.

use super::math;

/// `y = W·x + b`, `W` stored `[outputs, inputs]`.
pub struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

impl std::fmt::Debug for Linear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exact::Linear({} → {})", self.inputs, self.outputs)
    }
}

impl Linear {
    /// From the weights (`[outputs, inputs]`) and the bias.
    pub fn new(w: Vec<f32>, b: Vec<f32>, inputs: usize, outputs: usize) -> Linear {
        assert_eq!(w.len(), inputs * outputs);
        assert_eq!(b.len(), outputs);
        Linear {
            w,
            b,
            inputs,
            outputs,
        }
    }

    /// Bytes it holds.
    pub fn bytes(&self) -> usize {
        4 * (self.w.len() + self.b.len())
    }

    /// `out = W·x + b` (or `out += W·x + b` with `add`); `x` is `[rows, inputs]`, `out`
    /// `[rows, outputs]`.
    pub fn apply(&self, x: &[f32], rows: usize, out: &mut [f32], add: bool) {
        assert_eq!(x.len(), rows * self.inputs);
        assert_eq!(out.len(), rows * self.outputs);
        for row in out.chunks_exact_mut(self.outputs) {
            if add {
                math::add_assign(row, &self.b);
            } else {
                row.copy_from_slice(&self.b);
            }
        }
        // out = x · Wᵀ + out. Safety: the pointers and strides describe the slices' own
        // extents (checked above): x is rows × inputs (row stride inputs), Wᵀ is inputs ×
        // outputs read from W stored outputs × inputs (row stride 1, column stride inputs),
        // out is rows × outputs.
        unsafe {
            matrixmultiply::sgemm(
                rows,
                self.inputs,
                self.outputs,
                1.0,
                x.as_ptr(),
                self.inputs as isize,
                1,
                self.w.as_ptr(),
                1,
                self.inputs as isize,
                1.0,
                out.as_mut_ptr(),
                self.outputs as isize,
                1,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_w_x_plus_b_and_adds_with_add() {
        // W = [[1, 2], [3, 4], [5, 6]], b = [1, 0, -1], x = [1, 1].
        let l = Linear::new(vec![1., 2., 3., 4., 5., 6.], vec![1., 0., -1.], 2, 3);
        let mut out = vec![0.0; 3];
        l.apply(&[1.0, 1.0], 1, &mut out, false);
        assert_eq!(out, vec![4.0, 7.0, 10.0]);
        l.apply(&[1.0, 1.0], 1, &mut out, true);
        assert_eq!(out, vec![8.0, 14.0, 20.0]);
    }
}
