# Independent reference for the MIDI and end-to-end tests: Debian's python3-mido reads each file and prints JSON.
# Usage: /usr/bin/python3 mido-dump.py [--notes] FILE...  -> one JSON object per line.
# With --notes: notes as [pitch, velocity, start, end, channel, track], pedals, time signatures, and how many
# note-ons were never closed.
# Notes are paired first-in-first-out per (track, channel, pitch); a note-on with velocity 0 is a note-off.
import json
import sys

import mido


def dump(path, with_notes):
    try:
        mid = mido.MidiFile(path)
    except Exception as err:  # mido raises OSError, EOFError, ValueError, KeyError ...
        return {"file": path, "ok": False, "error": f"{type(err).__name__}: {err}"}
    out = {"file": path, "ok": True, "type": mid.type, "ppq": mid.ticks_per_beat,
           "count": 0, "tempos": [], "notes": [], "pedals": [], "timeSignatures": [], "markers": [], "unclosed": 0}
    for ti, track in enumerate(mid.tracks):
        tick = 0
        open_notes = {}
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                out["count"] += 1
                open_notes.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
            elif msg.type in ("note_on", "note_off"):
                queue = open_notes.get((msg.channel, msg.note))
                if queue:
                    start, velocity = queue.pop(0)
                    if with_notes:
                        out["notes"].append([msg.note, velocity, start, tick, msg.channel, ti])
            elif msg.type == "set_tempo":
                out["tempos"].append([tick, msg.tempo])
            elif msg.type == "control_change" and msg.control == 64 and with_notes:
                out["pedals"].append([tick, msg.value, msg.channel])
            elif msg.type == "marker":
                out["markers"].append([tick, msg.text])
            elif msg.type == "time_signature" and with_notes:
                out["timeSignatures"].append([tick, msg.numerator, msg.denominator])
        out["unclosed"] += sum(len(q) for q in open_notes.values())
    if not with_notes:
        del out["notes"], out["pedals"], out["timeSignatures"], out["unclosed"]
    return out


def main():
    args = sys.argv[1:]
    with_notes = "--notes" in args
    for path in (a for a in args if a != "--notes"):
        print(json.dumps(dump(path, with_notes)))


main()
