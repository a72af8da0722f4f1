#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Miniature copies of standard audio datasets, laid out as they are downloaded.

  /usr/bin/python3 tests/tools/make_dataset_layouts.py OUT_DIR [--wav-only]

Writes OUT_DIR/<layout>/ for the layouts esc50, esc50_as_plain_csv, urbansound8k, gtzan,
gtzan_nosplit, nsynth, fsd50k, openmic, magnatagatune, hear_scene_kfold,
hear_scene_multilabel and hear_timestamp. Each holds the metadata files in the real format
(file names, column names, separators, quoting, header conventions; see docs/datasets.md),
a few clips of 0.5 s of a sine at the dataset's real sample rate, and expected.json: for
every clip its path (relative to the layout root), labels, fold, split (and for OpenMIC the
mask), plus the class count, metric, multi-label flag and protocol a reader should report.

Only numpy and the Python standard library are used. Audio containers:
- .wav is written with the `wave` module (PCM 8/16/24 bit) and .au (GTZAN's original
  copy) with a hand-written Sun/NeXT header (16-bit big-endian PCM); both are real files.
- .ogg (OpenMIC) and .mp3 (MagnaTagATune) are encoded with ffmpeg or sox when one is on
  PATH (and --wav-only is not given). Otherwise the file holds WAV data under the name the
  metadata expects. libsndfile detects the format from the content, not the extension, so
  such a file still opens; expected.json records the container actually written per clip.
- Deliberately broken files: GTZAN's Kaggle jazz.00054.wav (bytes no decoder recognises)
  and one of MagnaTagATune's three empty mp3s (0 bytes). Their clips have "readable": false.

Everything is deterministic (fixed seeds, sorted output); the whole tree stays under 3 MB.
Clip names follow each dataset's naming scheme; most ids and all label assignments are
illustrative, not copied from the real metadata.
"""
import csv
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
import zlib

import numpy as np

DUR = 0.5
ENCODERS_ALLOWED = True


# ----------------------------------------------------------------------------- audio writers

def tone(layout, key, sr, channels=1):
    """0.5 s of a sine whose frequency depends on `key`, with a little seeded noise."""
    rng = np.random.default_rng(zlib.crc32(f"{layout}/{key}".encode()))
    n = int(round(DUR * sr))
    f = 110.0 * 2 ** ((zlib.crc32(key.encode()) % 36) / 12.0)
    t = np.arange(n) / sr
    x = 0.4 * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
    x = x + 0.01 * rng.standard_normal(n)
    return np.repeat(x[:, None], channels, axis=1)


def write_wav(path, x, sr, width=2):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    x = np.clip(x, -1.0, 1.0)
    if width == 1:  # 8-bit WAV is unsigned
        data = np.round(x * 127 + 128).astype(np.uint8).tobytes()
    elif width == 2:
        data = np.round(x * 32767).astype("<i2").tobytes()
    elif width == 3:
        v = np.round(x * 8388607).astype("<i4").reshape(-1)
        data = np.frombuffer(v.tobytes(), np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        raise ValueError(width)
    with wave.open(path, "wb") as w:
        w.setnchannels(x.shape[1])
        w.setsampwidth(width)
        w.setframerate(sr)
        w.writeframes(data)


def write_au(path, x, sr):
    """Sun/NeXT .au: 24-byte big-endian header, encoding 3 = 16-bit linear PCM."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = np.round(np.clip(x, -1, 1) * 32767).astype(">i2").tobytes()
    with open(path, "wb") as f:
        f.write(struct.pack(">4sIIIII", b".snd", 24, len(data), 3, sr, x.shape[1]))
        f.write(data)


def _encode(src, dst, fmt):
    ffmpeg, sox = shutil.which("ffmpeg"), shutil.which("sox")
    cmds = []
    if ffmpeg:
        codec = {"ogg": "libvorbis", "mp3": "libmp3lame"}[fmt]
        cmds.append([ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", src,
                     "-map_metadata", "-1", "-c:a", codec, dst])
    if sox:
        cmds.append([sox, src, dst])
    for cmd in cmds:
        try:
            if subprocess.run(cmd, capture_output=True, timeout=60).returncode == 0 \
                    and os.path.getsize(dst) > 0:
                return True
        except (OSError, subprocess.SubprocessError):
            pass
    return False


def write_clip(path, x, sr, width=2):
    """Write by extension; returns the container actually written."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".au":
        write_au(path, x, sr)
        return "au"
    if ext in (".ogg", ".mp3") and ENCODERS_ALLOWED:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src.wav")
            write_wav(src, x, sr, width)
            if _encode(src, path, ext[1:]):
                return ext[1:]
    write_wav(path, x, sr, width)
    return "wav"


# ----------------------------------------------------------------------------- text writers

def write_text(path, text, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text.replace("\n", newline))


def write_csv(path, header, rows, **kw):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", **kw)
    if header:
        w.writerow(header)
    w.writerows(rows)
    write_text(path, buf.getvalue())


def write_json(path, obj, **kw):
    write_text(path, json.dumps(obj, **kw) + ("\n" if kw.get("indent") is not None else ""))


def clip(path, labels, fold=None, split=None, **extra):
    d = {"path": path, "labels": list(labels), "fold": fold, "split": split}
    d.update(extra)
    return d


def expected(root, dataset, clips, class_names, full, metric, multilabel, protocol, **extra):
    folds = sorted({c["fold"] for c in clips if c["fold"] is not None}) or None
    splits = sorted({c["split"] for c in clips if c["split"] is not None}) or None
    d = {"layout": os.path.basename(root), "dataset": dataset,
         "num_classes": len(class_names), "class_names": class_names,
         "num_classes_full_dataset": full, "metric": metric, "multilabel": multilabel,
         "protocol": protocol, "folds": folds, "splits": splits, "unsupported": False}
    d.update(extra)
    d["clips"] = sorted(clips, key=lambda c: c["path"])
    write_json(os.path.join(root, "expected.json"), d, indent=1, sort_keys=False)


# ----------------------------------------------------------------------------- ESC-50

ESC50_HEADER = ["filename", "fold", "target", "category", "esc10", "src_file", "take"]
# (fold, src_file, take, target, category, esc10)
ESC50_ROWS = [(1, "100032", "A", 0, "dog", True), (2, "114280", "A", 0, "dog", True),
              (3, "136288", "A", 0, "dog", True), (1, "100038", "A", 14, "chirping_birds", False),
              (4, "175945", "A", 14, "chirping_birds", False),
              (5, "200334", "B", 14, "chirping_birds", False)]


def esc50_files(root, rows):
    out, clips = [], []
    for fold, src, take, target, cat, esc10 in rows:
        fn = f"{fold}-{src}-{take}-{target}.wav"
        write_clip(os.path.join(root, "audio", fn), tone("esc50", fn, 44100), 44100)
        out.append([fn, fold, target, cat, "True" if esc10 else "False", src, take])
        clips.append((fn, fold, cat))
    out.sort()
    write_csv(os.path.join(root, "meta", "esc50.csv"), ESC50_HEADER, out)
    return clips


def make_esc50(out):
    root = os.path.join(out, "esc50")
    clips = [clip("audio/" + fn, [cat], fold, None, container="wav", sample_rate=44100)
             for fn, fold, cat in esc50_files(root, ESC50_ROWS)]
    expected(root, "ESC-50", clips, ["chirping_birds", "dog"], 50, "accuracy", False, "folds",
             notes=["label = category column (target is its 0-49 index)",
                    "5-fold CV on the fold column; the fold is also the filename's first field"])


def make_esc50_plain(out):
    root = os.path.join(out, "esc50_as_plain_csv")
    rows = [ESC50_ROWS[0], ESC50_ROWS[1], ESC50_ROWS[3], ESC50_ROWS[4]]
    clips = [clip("audio/" + fn, [cat], fold, None, container="wav", sample_rate=44100,
                  labels_if_positional=[str(fold)])
             for fn, fold, cat in esc50_files(root, rows)]
    expected(root, "ESC-50", clips, ["chirping_birds", "dog"], 50, "accuracy", False, "folds",
             generic_csv={"csv": "meta/esc50.csv", "positional_columns": [0, 1],
                          "positional_label_column": "fold", "expect_warning": True},
             notes=["a reader that takes column 0 as file and column 1 as label would use fold "
                    "numbers as labels (labels_if_positional); the workbench must warn and "
                    "use the category column instead"])


# ----------------------------------------------------------------------------- UrbanSound8K

US8K_CLASSES = {2: "children_playing", 3: "dog_bark", 8: "siren"}
# (fsID, classID, occurrenceID, sliceID, start, end, salience, fold, sr, channels, width)
US8K_ROWS = [(100032, 3, 0, 0, 0.0, 0.317551, 1, 5, 44100, 1, 2),
             (101415, 3, 0, 2, 1.0, 5.0, 1, 1, 48000, 1, 3),
             (106905, 3, 0, 0, 0.0, 2.1, 2, 3, 22050, 1, 2),
             (113202, 3, 1, 4, 14.5, 18.5, 1, 7, 16000, 1, 2),
             (100263, 2, 0, 117, 58.5, 62.5, 1, 2, 11025, 1, 1),
             (105029, 2, 0, 3, 1.5, 5.5, 2, 6, 8000, 2, 2),
             (118279, 2, 0, 9, 4.5, 8.5, 1, 10, 16000, 2, 2),
             (102853, 8, 0, 1, 0.5, 4.5, 2, 4, 44100, 1, 2),
             (107228, 8, 1, 0, 20.0, 24.0, 1, 8, 24000, 1, 2),
             (116483, 8, 0, 5, 2.5, 6.5, 1, 9, 22050, 1, 2)]


def make_us8k(out):
    root = os.path.join(out, "urbansound8k")
    rows, clips = [], []
    for fs, cid, occ, sl, start, end, sal, fold, sr, ch, width in US8K_ROWS:
        fn = f"{fs}-{cid}-{occ}-{sl}.wav"
        write_clip(os.path.join(root, "audio", f"fold{fold}", fn), tone("us8k", fn, sr, ch),
                   sr, width)
        rows.append([fn, fs, repr(start), repr(end), sal, fold, cid, US8K_CLASSES[cid]])
        clips.append(clip(f"audio/fold{fold}/{fn}", [US8K_CLASSES[cid]], fold, None,
                          container="wav", sample_rate=sr, channels=ch, bits=8 * width))
    rows.sort()
    write_csv(os.path.join(root, "metadata", "UrbanSound8K.csv"),
              ["slice_file_name", "fsID", "start", "end", "salience", "fold", "classID",
               "class"], rows)
    expected(root, "UrbanSound8K", clips, sorted(US8K_CLASSES.values()), 10, "accuracy", False,
             "folds", notes=["audio path = audio/fold<fold>/<slice_file_name>",
                             "sample rate, channels and bit depth vary per file (8/16/24 bit)"])


# ----------------------------------------------------------------------------- GTZAN

def make_gtzan(out):
    root = os.path.join(out, "gtzan")
    # (genre, number, split); entries taken from the published fault-filtered lists
    items = [("blues", 29, "train"), ("blues", 0, "valid"), ("blues", 12, "test"),
             ("classical", 30, "train"), ("classical", 0, "valid"), ("classical", 11, "test"),
             ("jazz", 0, "train"), ("jazz", 2, "valid"), ("jazz", 73, "test"),
             ("jazz", 54, "train"),       # the Kaggle copy's undecodable file
             ("classical", 42, None)]     # on disk, in none of the three lists
    lists = {"train": [], "valid": [], "test": []}
    clips = []
    for genre, num, split in items:
        rel = f"{genre}/{genre}.{num:05d}.wav"
        path = os.path.join(root, "genres_original", rel)
        extra = {"container": "wav", "sample_rate": 22050}
        if (genre, num) == ("jazz", 54):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            rng = np.random.default_rng(54)
            with open(path, "wb") as f:
                f.write(bytes(rng.integers(0, 256, 1024, dtype=np.uint8)))
            extra = {"container": None, "readable": False}
        else:
            write_clip(path, tone("gtzan", rel, 22050), 22050)
        if split:
            lists[split].append(rel)
        else:
            extra["excluded"] = "not in the fault-filtered split"
        clips.append(clip("genres_original/" + rel, [genre], None, split, **extra))
    for split, names in lists.items():
        write_text(os.path.join(root, f"{split}_filtered.txt"), "".join(n + "\n" for n in names))
    expected(root, "GTZAN (Kaggle genres_original copy) + fault-filtered split", clips,
             ["blues", "classical", "jazz"], 10, "accuracy", False, "split",
             notes=["list lines are <genre>/<genre>.000NN.wav relative to genres_original/ "
                    "(or genres/, where the files are .au: match on the stem)",
                    "files in no list are not part of the protocol",
                    "jazz/jazz.00054.wav does not decode; it is in train_filtered.txt"])


def make_gtzan_nosplit(out):
    root = os.path.join(out, "gtzan_nosplit")
    clips = []
    for genre in ("metal", "rock"):
        for num in (0, 1):
            rel = f"genres/{genre}/{genre}.{num:05d}.au"
            write_clip(os.path.join(root, rel), tone("gtzan_nosplit", rel, 22050), 22050)
            clips.append(clip(rel, [genre], None, None, container="au", sample_rate=22050))
    expected(root, "GTZAN (original marsyas genres.tar.gz, .au)", clips, ["metal", "rock"], 10,
             "accuracy", False, None,
             notes=["no split files: the label is the folder name; a reader must fall back "
                    "to stratified folds (and say so) or ask for the filtered lists"])


# ----------------------------------------------------------------------------- NSynth

NSYNTH_FAMILIES = ["bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed",
                   "string", "synth_lead", "vocal"]
NSYNTH_SOURCES = ["acoustic", "electronic", "synthetic"]
NSYNTH_QUALITIES = ["bright", "dark", "distortion", "fast_decay", "long_release", "multiphonic",
                    "nonlinear_env", "percussive", "reverb", "tempo-synced"]


def make_nsynth(out):
    root = os.path.join(out, "nsynth")
    # split -> [(instrument_str, instrument id, pitch, velocity, quality names)]
    plan = {"train": [("bass_synthetic_033", 417, 22, 50, ["dark"]),
                      ("keyboard_electronic_001", 8, 21, 127, []),
                      ("mallet_acoustic_047", 355, 60, 75, ["percussive", "reverb"]),
                      ("synth_lead_synthetic_000", 12, 48, 100, ["bright", "distortion"]),
                      ("synth_lead_synthetic_000", 12, 50, 25, ["bright"])],
            "valid": [("bass_synthetic_034", 493, 35, 100, []),
                      ("keyboard_electronic_002", 9, 64, 50, ["fast_decay"]),
                      ("mallet_acoustic_062", 412, 72, 25, ["percussive"])],
            "test": [("bass_synthetic_068", 656, 49, 25, ["dark"]),
                     ("keyboard_electronic_069", 680, 70, 127, ["long_release"]),
                     ("mallet_acoustic_056", 395, 96, 50, ["percussive"])]}
    clips, note_id = [], 100000
    for split, rows in plan.items():
        examples = {}
        for inst, inst_id, pitch, vel, quals in rows:
            note_str = f"{inst}-{pitch:03d}-{vel:03d}"
            fam, src = inst.rsplit("_", 2)[0], inst.rsplit("_", 2)[1]
            note_id += 7919
            examples[note_str] = {
                "note": note_id, "note_str": note_str, "instrument": inst_id,
                "instrument_str": inst, "pitch": pitch, "velocity": vel, "sample_rate": 16000,
                "qualities": [int(q in quals) for q in NSYNTH_QUALITIES],
                "qualities_str": [q for q in NSYNTH_QUALITIES if q in quals],
                "instrument_family": NSYNTH_FAMILIES.index(fam), "instrument_family_str": fam,
                "instrument_source": NSYNTH_SOURCES.index(src), "instrument_source_str": src}
            rel = f"nsynth-{split}/audio/{note_str}.wav"
            write_clip(os.path.join(root, rel), tone("nsynth", note_str, 16000), 16000)
            clips.append(clip(rel, [fam], None, split, container="wav", sample_rate=16000))
        write_json(os.path.join(root, f"nsynth-{split}", "examples.json"), examples)
    # The vocabulary is the 11 families, as in the full dataset (docs/datasets.md: keep it even
    # where a split lacks a family).
    expected(root, "NSynth (json/wav release)", clips, NSYNTH_FAMILIES,
             11, "accuracy", False, "split",
             family_index=NSYNTH_FAMILIES,
             notes=["label = instrument_family_str; split = folder nsynth-<split>",
                    "synth_lead appears in train only, as in the real valid/test splits"])


# ----------------------------------------------------------------------------- FSD50K

FSD_VOCAB = [("Animal", "/m/0jbk"), ("Bark", "/m/05tny_"), ("Dog", "/m/0bt9lr"),
             ("Domestic_animals_and_pets", "/m/068hy"), ("Electric_guitar", "/m/02sgy"),
             ("Guitar", "/m/0342h"), ("Music", "/m/04rlf"), ("Musical_instrument", "/m/04szw"),
             ("Plucked_string_instrument", "/m/0fx80y")]
FSD_DOG = ["Bark", "Dog", "Domestic_animals_and_pets", "Animal"]
FSD_GUITAR = ["Electric_guitar", "Guitar", "Plucked_string_instrument", "Musical_instrument",
              "Music"]


def make_fsd50k(out):
    root = os.path.join(out, "fsd50k")
    mid = dict(FSD_VOCAB)
    gt = os.path.join(root, "FSD50K.ground_truth")
    write_csv(os.path.join(gt, "vocabulary.csv"), None,
              [[i, lab, m] for i, (lab, m) in enumerate(FSD_VOCAB)])
    dev = [(64760, FSD_GUITAR, "train"), (102863, FSD_DOG, "train"),
           (177207, FSD_DOG + FSD_GUITAR, "train"), (21525, FSD_DOG, "val")]
    ev = [(37199, FSD_DOG), (394402, FSD_GUITAR)]
    clips = []
    rows = []
    for fname, labs, split in dev:
        rows.append([fname, ",".join(labs), ",".join(mid[x] for x in labs), split])
        rel = f"FSD50K.dev_audio/{fname}.wav"
        write_clip(os.path.join(root, rel), tone("fsd50k", rel, 44100), 44100)
        clips.append(clip(rel, labs, None, {"train": "train", "val": "valid"}[split],
                          container="wav", sample_rate=44100))
    write_csv(os.path.join(gt, "dev.csv"), ["fname", "labels", "mids", "split"], rows)
    rows = []
    for fname, labs in ev:
        rows.append([fname, ",".join(labs), ",".join(mid[x] for x in labs)])
        rel = f"FSD50K.eval_audio/{fname}.wav"
        write_clip(os.path.join(root, rel), tone("fsd50k", rel, 44100), 44100)
        clips.append(clip(rel, labs, None, "test", container="wav", sample_rate=44100))
    write_csv(os.path.join(gt, "eval.csv"), ["fname", "labels", "mids"], rows)
    expected(root, "FSD50K", clips, [lab for lab, _ in FSD_VOCAB], 200, "mAP", True, "split",
             notes=["vocabulary.csv has no header: index,label,mid",
                    "labels and mids are comma-separated inside one quoted field",
                    "dev.csv split val -> valid; eval.csv is the test set"])


# ----------------------------------------------------------------------------- OpenMIC-2018

OPENMIC_CLASSES = ["accordion", "banjo", "bass", "cello", "clarinet", "cymbals", "drums", "flute",
                   "guitar", "mallet_percussion", "mandolin", "organ", "piano", "saxophone",
                   "synthesizer", "trombone", "trumpet", "ukulele", "violin", "voice"]


def make_openmic(out):
    root = os.path.join(out, "openmic")
    # sample_key -> [(instrument, relevance, num_responses)]; relevance = 0.5 +- confidence/2
    ann = {"000046_3840": [("piano", 0.83333, 3), ("voice", 0.16667, 3)],
           "000135_483840": [("guitar", 1.0, 3), ("drums", 0.75, 4)],
           "000139_119040": [("voice", 0.9, 5), ("piano", 0.2, 5), ("guitar", 0.33333, 3)],
           "000141_153600": [("drums", 0.0, 3)],
           "000178_3840": [("piano", 0.66667, 3), ("guitar", 0.0, 3)],
           "000308_61440": [("voice", 1.0, 3), ("drums", 0.85, 4), ("piano", 0.25, 4)]}
    train = ["000046_3840", "000135_483840", "000139_119040", "000141_153600"]
    test = ["000178_3840", "000308_61440"]
    rows = [[k, inst, repr(rel), n] for k in sorted(ann) for inst, rel, n in ann[k]]
    write_csv(os.path.join(root, "openmic-2018-aggregated-labels.csv"),
              ["sample_key", "instrument", "relevance", "num_responses"], rows)
    write_json(os.path.join(root, "class-map.json"),
               {c: i for i, c in enumerate(OPENMIC_CLASSES)}, indent=4)
    write_text(os.path.join(root, "partitions", "split01_train.csv"), "".join(k + "\n" for k in train))
    write_text(os.path.join(root, "partitions", "split01_test.csv"), "".join(k + "\n" for k in test))
    keys = np.unique(np.array(sorted(ann), dtype=object))  # object dtype, as the release script
    y_true = np.full((len(keys), 20), 0.5)
    y_mask = np.zeros((len(keys), 20), dtype=bool)
    for i, k in enumerate(keys):
        for inst, rel, _ in ann[k]:
            y_true[i, OPENMIC_CLASSES.index(inst)] = rel
            y_mask[i, OPENMIC_CLASSES.index(inst)] = True
    x = np.random.default_rng(2018).integers(0, 256, (len(keys), 10, 128)).astype(np.uint8)
    np.savez(os.path.join(root, "openmic-2018.npz"), X=x, Y_true=y_true, Y_mask=y_mask,
             sample_key=keys)
    clips = []
    for k in sorted(ann):
        rel = f"audio/{k[:3]}/{k}.ogg"
        cont = write_clip(os.path.join(root, rel), tone("openmic", k, 44100), 44100)
        clips.append(clip(rel, sorted(i for i, r, _ in ann[k] if r > 0.5), None,
                          "train" if k in train else "test",
                          mask=sorted(i for i, _, _ in ann[k]), container=cont,
                          sample_rate=44100))
    expected(root, "OpenMIC-2018", clips, OPENMIC_CLASSES, 20, "mAP", True, "split",
             notes=["positive: relevance > 0.5; negative: relevance < 0.5; instruments with "
                    "no row are unknown (Y_mask false, Y_true 0.5) and excluded from the "
                    "per-class AP",
                    "split01_*.csv: one sample_key per line, no header",
                    "openmic-2018.npz sample_key is an object array: np.load needs "
                    "allow_pickle=True; prefer the CSV"])


# ----------------------------------------------------------------------------- MagnaTagATune

MTAT_TAGS = [t.strip() for t in (
    "no voice, singer, duet, plucking, hard rock, world, bongos, harpsichord, female singing, "
    "clasical, sitar, chorus, female opera, male vocal, vocals, clarinet, heavy, silence, beats, "
    "men, woodwind, funky, no strings, chimes, foreign, no piano, horns, classical, female, "
    "no voices, soft rock, eerie, spacey, jazz, guitar, quiet, no beat, banjo, electric, solo, "
    "violins, folk, female voice, wind, happy, ambient, new age, synth, funk, no singing, "
    "middle eastern, trumpet, percussion, drum, airy, voice, repetitive, birds, space, strings, "
    "bass, harpsicord, medieval, male voice, girl, keyboard, acoustic, loud, classic, string, "
    "drums, electronic, not classical, chanting, no violin, not rock, no guitar, organ, "
    "no vocal, talking, choral, weird, opera, soprano, fast, acoustic guitar, electric guitar, "
    "male singer, man singing, classical guitar, country, violin, electro, reggae, tribal, dark, "
    "male opera, no vocals, irish, electronica, horn, operatic, arabic, lol, low, instrumental, "
    "trance, chant, strange, drone, synthesizer, heavy metal, modern, disco, bells, man, deep, "
    "fast beat, industrial, hard, harp, no flute, jungle, pop, lute, female vocal, oboe, "
    "mellow, orchestral, viola, light, echo, piano, celtic, male vocals, orchestra, eastern, "
    "old, flutes, punk, spanish, sad, sax, slow, male, blues, vocal, indian, no singer, scary, "
    "india, woman, woman singing, rock, dance, piano solo, guitars, no drums, jazzy, singing, "
    "cello, calm, female vocals, voices, different, techno, clapping, house, monks, flute, "
    "not opera, not english, oriental, beat, upbeat, soft, noise, choir, female singer, rap, "
    "metal, hip hop, quick, water, baroque, women, fiddle, english").split(",")]
MTAT_TOP50 = ["guitar", "classical", "slow", "techno", "strings", "drums", "electronic", "rock",
              "fast", "piano", "ambient", "beat", "violin", "vocal", "synth", "female", "indian",
              "opera", "male", "singing", "vocals", "no vocals", "harpsichord", "loud", "quiet",
              "flute", "woman", "male vocal", "no vocal", "pop", "soft", "sitar", "solo", "man",
              "classic", "choir", "voice", "new age", "dance", "male voice", "female vocal",
              "beats", "harp", "cello", "no voice", "weird", "country", "metal", "female voice",
              "choral"]


def make_mtat(out):
    root = os.path.join(out, "magnatagatune")
    bach = "american_bach_soloists-j_s__bach_solo_cantatas-01-bwv54__i_aria"
    items = [  # (clip_id, mp3_path, tags)
        (2, f"f/{bach}-30-59.mp3", ["classical", "strings", "opera", "violin"]),
        (6, f"f/{bach}-59-88.mp3", ["classical", "opera"]),
        (15, "d/ambient_teknology-the_all_seeing_eye_project-01-cyclops-0-29.mp3",
         ["techno", "electronic", "ambient"]),
        (1187, "c/atomic_opera-alpha_and_oranges-01-rain_parade-117-146.mp3",
         ["guitar", "rock", "male vocal"]),
        (3422, "b/altri_stromenti-uccellini-01-confitebor_monteverdi-0-29.mp3",
         ["classical", "choir", "strings"]),
        (8804, "5/arthur_yoria-of_the_lovely-01-of_the_lovely-117-146.mp3",
         ["guitar", "rock", "soft rock"]),
        (9010, "0/american_baroque-the_four_seasons_vivaldi-01-spring-0-29.mp3",
         ["violin", "strings", "baroque", "harpsichord"]),
        (12021, "5/arthur_yoria-of_the_lovely-02-brief_candles-30-59.mp3", ["jazzy"]),
        (21234, "6/norine_braun-now_and_zen-08-gently-117-146.mp3", ["female", "vocal"]),
        (30011, "b/altri_stromenti-uccellini-03-dixit_dominus-146-175.mp3",
         ["techno", "electronic", "beat"])]
    lines = ["\t".join(f'"{c}"' for c in ["clip_id"] + MTAT_TAGS + ["mp3_path"])]
    clips = []
    for cid, path, tags in items:
        assert all(t in MTAT_TAGS for t in tags), tags
        lines.append("\t".join(f'"{v}"' for v in
                               [cid] + [int(t in tags) for t in MTAT_TAGS] + [path]))
        full = os.path.join(root, path)
        extra = {}
        if path.startswith("6/norine_braun"):   # one of the three empty mp3s of the release
            os.makedirs(os.path.dirname(full), exist_ok=True)
            open(full, "wb").close()
            extra = {"container": None, "readable": False}
        else:
            extra = {"container": write_clip(full, tone("mtat", path, 16000), 16000),
                     "sample_rate": 16000}
        top = [t for t in MTAT_TOP50 if t in tags]
        if not top:
            extra["excluded"] = "no top-50 tag"
        ch = path[0]
        split = "train" if ch in "0123456789ab" else ("valid" if ch == "c" else "test")
        clips.append(clip(path, top, None, split, **extra))
    write_text(os.path.join(root, "annotations_final.csv"), "\n".join(lines) + "\n", "\r\n")
    used = sorted({t for c in clips for t in c["labels"]}, key=MTAT_TOP50.index)
    expected(root, "MagnaTagATune", clips, MTAT_TOP50, 188, "mAP", True, "split",
             tags_used=used,
             notes=["annotations_final.csv: TAB-separated, every field in double quotes, "
                    "CRLF line ends; 188 tag columns between clip_id and mp3_path",
                    "labels keep only the 50 most frequent tags (fixed list, not recomputed "
                    "from this file); clips without one are excluded",
                    "split by the folder character: 0-b train, c valid, d-f test",
                    "tag column order here is not guaranteed to be the release's: read by name"])


# ----------------------------------------------------------------------------- HEAR

def hear_task(root, config, splits, data, kind):
    """data: split -> [(file name, labels or events)]; writes a HEAR task directory."""
    meta = dict(config)
    meta.update({"tmp_dir": "_workdir", "mode": "full", "splits": splits})
    write_json(os.path.join(root, "task_metadata.json"), meta, indent=True)
    labels = sorted({(e["label"] if kind == "event" else e) for items in data.values()
                     for _, v in items for e in v})
    write_csv(os.path.join(root, "labelvocabulary.csv"), ["idx", "label"], list(enumerate(labels)))
    clips = []
    for split in splits:
        write_json(os.path.join(root, f"{split}.json"), dict(sorted(data[split])), indent=True)
        for fn, v in data[split]:
            rel = f"48000/{split}/{fn}"
            write_clip(os.path.join(root, rel), tone(os.path.basename(root), rel, 48000), 48000)
            labs = sorted({e["label"] for e in v}) if kind == "event" else v
            fold = int(split[4:]) if split.startswith("fold") else None
            clips.append(clip(rel, labs, fold, None if fold is not None else split,
                              container="wav", sample_rate=48000))
    return labels, clips


def make_hear_kfold(out):
    root = os.path.join(out, "hear_scene_kfold")
    config = {"task_name": "esc50", "version": "v2.0.0", "embedding_type": "scene",
              "prediction_type": "multiclass", "sample_duration": 5,
              "split_mode": "presplit_kfold", "nfolds": 5,
              "evaluation": ["top1_acc", "mAP", "d_prime", "aucroc"],
              "download_urls": [{"split": "all_folds",
                                 "url": "https://github.com/karoldvl/ESC-50/archive/master.zip",
                                 "md5": "7771e4b9d86d0945acce719c7a59305a"}],
              "default_mode": "full", "max_task_duration_by_fold": None}
    splits = [f"fold{i:02d}" for i in range(5)]
    data = {"fold00": [("1-100032-A-0.wav", ["dog"]), ("1-100038-A-14.wav", ["chirping_birds"])],
            "fold01": [("2-114280-A-0.wav", ["dog"])],
            "fold02": [("3-136288-A-0.wav", ["dog"])],
            "fold03": [("4-175945-A-14.wav", ["chirping_birds"])],
            "fold04": [("5-200334-B-14.wav", ["chirping_birds"])]}
    labels, clips = hear_task(root, config, splits, data, "scene")
    expected(root, "HEAR task esc50-v2.0.0-full", clips, labels, 50, "accuracy", False, "folds",
             notes=["folds fold00..fold04 -> 0..4; HEAR rotates test=k, valid=k+1, train=rest",
                    "audio under 48000/<split>/; the fixture clips are shorter than "
                    "sample_duration"])


def make_hear_multilabel(out):
    root = os.path.join(out, "hear_scene_multilabel")
    config = {"task_name": "fsd50k", "version": "v1.0", "embedding_type": "scene",
              "prediction_type": "multilabel", "split_mode": "trainvaltest",
              "sample_duration": None, "evaluation": ["mAP", "d_prime", "aucroc", "top1_acc"],
              "default_mode": "full",
              "max_task_duration_by_split": {"test": None, "train": None, "valid": None}}
    data = {"train": [("64760.wav", FSD_GUITAR), ("102863.wav", FSD_DOG)],
            "valid": [("21525.wav", FSD_DOG), ("177207.wav", FSD_DOG + FSD_GUITAR)],
            "test": [("37199.wav", FSD_DOG)]}
    labels, clips = hear_task(root, config, ["train", "valid", "test"], data, "scene")
    expected(root, "HEAR task fsd50k-v1.0-full", clips, labels, 200, "mAP", True, "split")


def make_hear_timestamp(out):
    root = os.path.join(out, "hear_timestamp")
    config = {"task_name": "dcase2016_task2", "version": "hear2021", "embedding_type": "event",
              "prediction_type": "multilabel", "split_mode": "trainvaltest",
              "sample_duration": 120.0, "evaluation": ["event_onset_200ms_fms", "segment_1s_er"],
              "default_mode": "full"}

    def ev(*e):
        return [{"label": lab, "start": s, "end": t} for lab, s, t in e]

    data = {"train": [("dev_1_ebr_6_nec_2_poly_0.wav", ev(("cough", 40.0, 210.5),
                                                          ("doorslam", 300.0, 420.0)))],
            "valid": [("dev_1_ebr_0_nec_3_poly_1.wav", ev(("keys", 10.0, 480.0),
                                                          ("speech", 100.0, 350.0)))],
            "test": [("dev_2_ebr_-6_nec_1_poly_0.wav", ev(("knock", 120.0, 260.0)))]}
    labels, clips = hear_task(root, config, ["train", "valid", "test"], data, "event")
    expected(root, "HEAR task dcase2016_task2-hear2021-full", clips, labels, 11, None, True, None,
             unsupported=True,
             unsupported_reason="embedding_type event: timestamp labels, not clip labels",
             notes=["{split}.json maps a file to a list of {label, start, end}, times in ms; "
                    "clip labels here are only the distinct event labels, for reference"])


# ----------------------------------------------------------------------------- main

LAYOUTS = [make_esc50, make_esc50_plain, make_us8k, make_gtzan, make_gtzan_nosplit, make_nsynth,
           make_fsd50k, make_openmic, make_mtat, make_hear_kfold, make_hear_multilabel,
           make_hear_timestamp]


def main(argv):
    global ENCODERS_ALLOWED
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 1 or any(a not in ("--wav-only",) for a in argv[1:] if a.startswith("--")):
        sys.exit(__doc__)
    ENCODERS_ALLOWED = "--wav-only" not in argv
    out = args[0]
    for make in LAYOUTS:
        make(out)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
    print(f"{len(LAYOUTS)} layouts in {out}: {total} bytes")
    if total >= 3_000_000:
        sys.exit("output exceeds 3 MB")


if __name__ == "__main__":
    main(sys.argv)
