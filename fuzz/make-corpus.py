#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Regenerates the seed corpus in fuzz/corpus/ (small, committed; see README.md).

Needs Debian's python3-numpy (for .npy/.npz, written by NumPy itself) and libsndfile1 (audio, through
ctypes: the same library the workbench reads with). Run from anywhere: /usr/bin/python3 fuzz/make-corpus.py
Every seed is kept under 4 KiB. Audio seeds end with one extra byte that fuzz_audio reads as the
extension selector (0: .wav, 1: .mp3, 2: .au); it is not part of the file the reader sees.
"""
import ctypes
import io
import math
import os
import struct
import sys
import tempfile
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
MAX_SEED = 4096


def save(kind, name, data):
    path = os.path.join(CORPUS, kind, name)
    if len(data) > MAX_SEED:
        print(f"skip {kind}/{name}: {len(data)} bytes > {MAX_SEED}", file=sys.stderr)
        return
    with open(path, "wb") as f:
        f.write(data)
    print(f"{kind}/{name}: {len(data)} bytes")


# ---- .npy / .npz -------------------------------------------------------------------------------

def npy_bytes(arr, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, version=version, allow_pickle=False)
    return buf.getvalue()


def npz_bytes(compressed, **arrays):
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return buf.getvalue()


def make_numpy():
    rng = np.random.default_rng(0)
    save("npy", "f4_1d.npy", npy_bytes(rng.standard_normal(5).astype("<f4")))
    save("npy", "f2_2d.npy", npy_bytes(rng.standard_normal((2, 3)).astype("<f2")))
    save("npy", "i8_0d.npy", npy_bytes(np.array(7, dtype="<i8")))
    save("npy", "i4_3d.npy", npy_bytes(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
    save("npy", "f8_fortran_2d.npy", npy_bytes(np.asfortranarray(np.arange(6, dtype="<f8").reshape(3, 2))))
    save("npy", "f4_empty_v2.npy", npy_bytes(np.zeros((0, 4), dtype="<f4"), version=(2, 0)))
    save("npy", "f4_fortran_3d_v3.npy",
         npy_bytes(np.asfortranarray(np.arange(12, dtype="<f4").reshape(2, 3, 2)), version=(3, 0)))
    save("npz", "stored_1.npz", npz_bytes(False, embedding=np.arange(8, dtype="<f4").reshape(2, 4)))
    save("npz", "deflate_2.npz",
         npz_bytes(True, embedding=np.linspace(0, 1, 16, dtype="<f4").reshape(4, 4),
                   frames=np.arange(3, dtype="<i8")))
    save("npz", "stored_f2_fortran.npz",
         npz_bytes(False, x=np.asfortranarray(np.arange(6, dtype="<f2").reshape(2, 3))))
    # Regression inputs for the bugs the fuzzers found (README.md, "Bugs found").
    save("npy", "regress_shape_overflow.npy",
         npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"))
    save("npy", "regress_shape_overflow_empty_fortran.npy",
         npy_header("{'descr': '<f4', 'fortran_order': True, 'shape': (4611686018427387904, 4, 0), }"))
    save("npz", "regress_deflate_size_lie.npz", npz_size_lie())


def npy_header(text):
    """A version 1.0 .npy header padded as NumPy pads it, with no data."""
    h = text.encode("latin1")
    h += b" " * ((64 - (10 + len(h) + 1) % 64) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h


def npz_size_lie():
    """np.savez_compressed whose central directory claims 3 GiB uncompressed for the member."""
    z = bytearray(npz_bytes(True, embedding=np.arange(4, dtype="<f4")))
    cd = z.rfind(b"PK\x01\x02")
    z[cd + 24:cd + 28] = struct.pack("<I", 0xC0000000)
    return bytes(z)


# ---- audio, through libsndfile ------------------------------------------------------------------

class SF_INFO(ctypes.Structure):
    _fields_ = [("frames", ctypes.c_int64), ("samplerate", ctypes.c_int), ("channels", ctypes.c_int),
                ("format", ctypes.c_int), ("sections", ctypes.c_int), ("seekable", ctypes.c_int)]


SFM_WRITE = 0x20
SF_FORMAT = {"wav": 0x010000, "aiff": 0x020000, "au": 0x030000, "w64": 0x0B0000, "flac": 0x170000,
             "caf": 0x180000, "rf64": 0x220000, "ogg": 0x200000, "mpeg": 0x230000}
SF_SUB = {"pcm_s8": 0x1, "pcm16": 0x2, "pcm24": 0x3, "u8": 0x5, "float": 0x6, "ulaw": 0x10,
          "ima_adpcm": 0x12, "ms_adpcm": 0x13, "vorbis": 0x60, "opus": 0x64, "mp3": 0x82}


def sndfile_bytes(lib, major, sub, rate, channels, frames, amplitude=0.5):
    samples = [amplitude * math.sin(2 * math.pi * 440 * (i // channels) / rate + (i % channels))
               for i in range(frames * channels)]
    buf = (ctypes.c_float * len(samples))(*samples)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "seed").encode()
        info = SF_INFO(0, rate, channels, SF_FORMAT[major] | SF_SUB[sub], 0, 0)
        f = lib.sf_open(path, SFM_WRITE, ctypes.byref(info))
        if not f:
            raise RuntimeError(f"{major}/{sub}: {lib.sf_strerror(None).decode()}")
        lib.sf_writef_float(f, buf, ctypes.c_int64(frames))
        lib.sf_close(f)
        with open(path, "rb") as fh:
            return fh.read()


def make_audio():
    lib = ctypes.CDLL("libsndfile.so.1")
    lib.sf_open.restype = ctypes.c_void_p
    lib.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(SF_INFO)]
    lib.sf_writef_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    lib.sf_close.argtypes = [ctypes.c_void_p]
    lib.sf_strerror.restype = ctypes.c_char_p
    lib.sf_strerror.argtypes = [ctypes.c_void_p]
    WAV, MP3, AU = b"\x00", b"\x01", b"\x02"  # fuzz_audio's extension selector
    seeds = [
        ("wav_pcm16_mono.wav", "wav", "pcm16", 8000, 1, 64, WAV),
        ("wav_float_stereo.wav", "wav", "float", 44100, 2, 32, WAV),
        ("wav_ima_adpcm.wav", "wav", "ima_adpcm", 16000, 1, 600, WAV),
        ("wav_ms_adpcm_stereo.wav", "wav", "ms_adpcm", 22050, 2, 300, WAV),
        ("rf64_pcm24.wav", "rf64", "pcm24", 48000, 1, 32, WAV),
        ("aiff_pcm_s8.aiff", "aiff", "pcm_s8", 8000, 1, 64, WAV),
        ("w64_pcm16.w64", "w64", "pcm16", 16000, 2, 32, WAV),
        ("flac_mono.flac", "flac", "pcm16", 16000, 1, 400, WAV),
        ("flac_stereo24.flac", "flac", "pcm24", 48000, 2, 200, WAV),
        ("ogg_opus.opus", "ogg", "opus", 48000, 1, 960, WAV),
        ("ogg_vorbis.ogg", "ogg", "vorbis", 8000, 1, 200, WAV),
        ("mp3_mono.mp3", "mpeg", "mp3", 16000, 1, 1152, MP3),
    ]
    for name, major, sub, rate, ch, frames, selector in seeds:
        try:
            save("audio", name, sndfile_bytes(lib, major, sub, rate, ch, frames) + selector)
        except RuntimeError as e:
            print(f"skip audio/{name}: {e}", file=sys.stderr)
    # Headerless bytes: libsndfile guesses from the extension (.au: raw u-law 8 kHz mono).
    save("audio", "raw_ulaw_by_extension.au", bytes(range(0, 256, 3)) + AU)
    # Regression inputs for the bugs the fuzzers found (README.md, "Bugs found").
    save("audio", "regress_au_536mhz.au", au_header(536878912, 64) + bytes(range(64)) + WAV)
    save("audio", "regress_wav_1hz.wav", wav_u8(1, bytes(range(256)) * 15) + WAV)
    save("audio", "regress_wav_96khz_one_frame.wav", wav_u8(96000, b"\x80") + WAV)
    save("audio", "regress_wav_1024ch.wav", wav_u8(16000, b"\x80" * 1024, channels=1024) + WAV)
    save("audio", "regress_wav_float_1e37.wav",
         sndfile_bytes(lib, "wav", "float", 44100, 2, 32, amplitude=-4.2e37) + WAV)
    flac = bytearray(sndfile_bytes(lib, "flac", "pcm16", 16000, 1, 400))
    info = int.from_bytes(flac[18:26], "big")  # STREAMINFO: rate, channels, bits, 36-bit frame count
    flac[18:26] = ((info & ~((1 << 36) - 1)) | ((1 << 34) - 1)).to_bytes(8, "big")
    save("audio", "regress_flac_2e34_frames.flac", bytes(flac) + WAV)


def au_header(rate, size):
    """Sun .au header: 8-bit u-law, mono, at `rate` Hz."""
    return b".snd" + struct.pack(">5I", 24, size, 1, rate, 1)


def wav_u8(rate, data, channels=1):
    """8-bit PCM WAV written by Python's wave module (which accepts any rate)."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(data)
    return buf.getvalue()


if __name__ == "__main__":
    for kind in ("audio", "npy", "npz"):
        os.makedirs(os.path.join(CORPUS, kind), exist_ok=True)
    make_numpy()
    make_audio()
