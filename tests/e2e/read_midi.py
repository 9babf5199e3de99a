# Independent reader for the end-to-end tests: Debian's python3-mido reads an exported MIDI file and prints it as JSON.
# Usage: /usr/bin/python3 read_midi.py FILE -> {"ppq", "notes": [[track, channel, pitch, velocity, start, end]], "timeSignatures": [[tick, num, den]]}
# Notes are paired first-in-first-out per (track, channel, pitch); a note-on with velocity 0 is a note-off.
import json
import sys

import mido


def read(path):
    mid = mido.MidiFile(path)
    notes, signatures = [], []
    for ti, track in enumerate(mid.tracks):
        tick = 0
        sounding = {}
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                sounding.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
            elif msg.type in ("note_on", "note_off"):
                queue = sounding.get((msg.channel, msg.note))
                if queue:
                    start, velocity = queue.pop(0)
                    notes.append([ti, msg.channel, msg.note, velocity, start, tick])
            elif msg.type == "time_signature":
                signatures.append([tick, msg.numerator, msg.denominator])
        unclosed = sum(len(q) for q in sounding.values())
        if unclosed:
            raise SystemExit(f"{path}: track {ti} leaves {unclosed} notes without a note-off")
    notes.sort(key=lambda n: (n[4], n[2], n[5], n[0]))
    return {"ppq": mid.ticks_per_beat, "notes": notes, "timeSignatures": signatures}


print(json.dumps(read(sys.argv[1])))
